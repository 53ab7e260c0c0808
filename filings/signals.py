from django.dispatch import Signal

# Sent inside submit_filing's transaction with ``submission``; the reviews app opens a review.
filing_submitted = Signal()

# Sent with ``snapshot`` (a draft's, built by ``snapshots.build_draft_snapshot``); each receiver
# returns what it would raise on it. The reviews app answers with its filing rules' flag specs
# (objects with ``kind``, ``item_code`` and ``finding``), so a draft shows the same outcome the
# rules will give at submission without filings importing reviews.
draft_checked = Signal()
