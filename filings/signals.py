from django.dispatch import Signal

# Sent inside submit_filing's transaction with ``submission``; the reviews app opens a review.
filing_submitted = Signal()
