"""The signature database CI's clamd starts with (``scripts/clamd DIR --test``), printed in
ClamAV's extended (.ndb) format: the EICAR test file, and a signature of the portal's own, so that
a test can prove a real clamd, not the test double, refused a file. Plain Python, no Django: the
script runs before anything is set up."""

import binascii
import sys

# The industry's harmless test file (https://www.eicar.org/download-anti-malware-testfile/).
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
PORTAL_TEST = b"PORTAL-CLAMD-TEST-SIGNATURE-7f3a9c"  # in no real file
SIGNATURES = {"Eicar-Test-Signature": EICAR, "Portal.Test.Signature": PORTAL_TEST}


def ndb() -> str:
    # name:target type (0: any file):offset (*: anywhere):hex body
    return "".join(
        f"{name}:0:*:{binascii.hexlify(body).decode()}\n" for name, body in SIGNATURES.items()
    )


if __name__ == "__main__":
    sys.stdout.write(ndb())
