from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import anchors
from accounts.models import Organisation, Role, User
from accounts.validators import corporate_number_check_digit
from checklists.models import Catalogue
from filings.demo import seed_filings
from reviews.demo import seed_reviews

DEFAULT_PASSWORD = "demo-password-2026"


def corporate_number(base12: str) -> str:
    return f"{corporate_number_check_digit(base12)}{base12}"


REGULATOR = {"name": "電力規制当局（デモ）", "kind": Organisation.Kind.REGULATOR}
AGGREGATORS = {
    "a": {
        "name": "エー・アグリゲーション株式会社",
        "corporate_number": corporate_number("011001012345"),
        "address": "東京都千代田区霞が関一丁目3番1号",
    },
    "b": {
        "name": "ビー・エナジーリソース株式会社",
        "corporate_number": corporate_number("012001098765"),
        "address": "大阪府大阪市北区中之島二丁目1番1号",
    },
}
REGULATOR_USERS = [
    ("reviewer@regulator.example", "審査 太郎", Role.REVIEWER),
    ("lead@regulator.example", "責任 花子", Role.REVIEW_LEAD),
    ("admin@regulator.example", "管理 次郎", Role.ADMIN),
]
AGGREGATOR_USERS = [
    ("staff@aggregator-{key}.example", "担当 {key_upper}", Role.AGGREGATOR_STAFF),
    ("officer@aggregator-{key}.example", "責任者 {key_upper}", Role.AGGREGATOR_OFFICER),
]


class Command(BaseCommand):
    help = "Create demo organisations and accounts (development only; safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD)

    def handle(self, *args, password: str, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo creates accounts with known passwords: DEBUG must be on.")
        with transaction.atomic():
            regulator, _ = Organisation.objects.update_or_create(
                name=REGULATOR["name"], defaults=REGULATOR
            )
            accounts = [(email, name, role, regulator) for email, name, role in REGULATOR_USERS]
            for key, fields in AGGREGATORS.items():
                company, _ = Organisation.objects.update_or_create(
                    corporate_number=fields["corporate_number"],
                    defaults={**fields, "kind": Organisation.Kind.AGGREGATOR},
                )
                for email, name, role in AGGREGATOR_USERS:
                    accounts.append(
                        (email.format(key=key), name.format(key_upper=key.upper()), role, company)
                    )
            for email, name, role, organisation in accounts:
                user, _ = User.objects.update_or_create(
                    email=email,
                    defaults={"full_name": name, "role": role, "organisation": organisation},
                )
                user.set_password(password)
                user.save()
                self.stdout.write(f"  {email:<34} {role.label}")
            if Catalogue.objects.current() is not None:
                for key in AGGREGATORS:
                    seed_filings(
                        staff=User.objects.get(email=f"staff@aggregator-{key}.example"),
                        officer=User.objects.get(email=f"officer@aggregator-{key}.example"),
                        lower=key == "b",  # one company uses lower-level aggregators
                    )
                seed_reviews(
                    reviewer=User.objects.get(email="reviewer@regulator.example"),
                    lead=User.objects.get(email="lead@regulator.example"),
                    filer=User.objects.get(email="staff@aggregator-a.example"),
                )
            if Path(settings.REPORT_SIGNING_KEY).exists():
                # The admin sees a signed anchor of the audit log, and its mail in the outbox.
                anchors.anchor_daily()
        self.stdout.write(self.style.SUCCESS(f"Demo accounts ready; password: {password}"))
