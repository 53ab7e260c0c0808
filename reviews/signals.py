from django.dispatch import Signal

# Sent inside determine_review's / determine_incident's transaction, after the determination is
# written, with ``target`` (the review or the incident report) and ``actor``. The orders app opens
# the order procedure when the determination is 手続へ移行 (reviews does not import orders).
determination_recorded = Signal()
