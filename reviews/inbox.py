"""What each role has to do next: the home page's task lists and the navbar's count."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from filings.models import Filing, complete_answer
from reviews.models import IncidentReport, Inquiry, Review, order_window_end_expression

LIST_LIMIT = 10  # each list on the home page shows the most pressing; the full lists are linked


@dataclass
class Tasks:
    drafts: list = field(default_factory=list)  # aggregators: drafts with their progress
    inquiries: list = field(default_factory=list)  # aggregators: awaiting their answer
    determined: list = field(default_factory=list)  # aggregators: determinations received
    assigned: list = field(default_factory=list)  # reviewers: their open reviews, by deadline
    to_read: list = field(default_factory=list)  # reviewers: answered inquiries to decide on
    to_determine: list = field(default_factory=list)  # leads: reviews ready for determination
    unassigned: list = field(default_factory=list)  # reviewers: new submissions nobody took yet
    incidents: list = field(default_factory=list)  # regulators: incident reports not determined


def _unassigned():
    return Review.objects.open().filter(assignee__isnull=True)


def _undetermined_incidents():
    return IncidentReport.objects.filter(determination="")


def _own_inquiries(user):
    return Inquiry.objects.unanswered().for_organisation(user.organisation_id)


def _inquiries_to_read(user):
    return Inquiry.objects.to_read().filter(
        Q(flag__review__assignee=user) | Q(flag__review__isnull=True)
    )


def tasks_for(user) -> Tasks:
    tasks = Tasks()
    if user.is_aggregator_user:
        answered = Count("answers", filter=complete_answer("answers__"))  # 記入済: complete
        drafts = Filing.objects.filter(
            organisation_id=user.organisation_id, status=Filing.Status.DRAFT
        )
        tasks.drafts = list(
            drafts.annotate(answered=answered, total=Count("answers"))
            .select_related("submission_requested_by")
            .order_by(F("submission_requested_at").desc(nulls_last=True), "-pk")[:LIST_LIMIT]
        )
        inquiries = _own_inquiries(user).select_related("flag__review__filing", "flag__incident")
        tasks.inquiries = list(inquiries.order_by("due_date", "pk")[:LIST_LIMIT])
        determined = Review.objects.filter(
            filing__organisation_id=user.organisation_id, status=Review.Status.DECIDED
        )
        tasks.determined = list(
            determined.select_related("filing").order_by("-determined_at")[:LIST_LIMIT]
        )
    if user.is_regulator_user:
        assigned = Review.objects.for_queue().open().filter(assignee=user)
        # by the order window, the statute's last day (an extension moves it)
        tasks.assigned = list(assigned.order_by(order_window_end_expression(), "pk")[:LIST_LIMIT])
        to_read = _inquiries_to_read(user).select_related("flag__review__filing", "flag__incident")
        tasks.to_read = list(to_read.order_by("answered_at")[:LIST_LIMIT])
        unassigned = _unassigned().select_related("filing__organisation", "filing__submission")
        tasks.unassigned = list(
            unassigned.order_by(order_window_end_expression(), "pk")[:LIST_LIMIT]
        )
        incidents = _undetermined_incidents().select_related("organisation")
        tasks.incidents = list(incidents.order_by("reported_at", "pk")[:LIST_LIMIT])
    if user.is_review_lead:
        ready = Review.objects.for_queue().ready_for_determination()
        tasks.to_determine = list(ready.order_by(order_window_end_expression(), "pk")[:LIST_LIMIT])
    return tasks


def task_count(user) -> int:
    """The navbar's number: what waits for this user (one query)."""
    if user.is_aggregator_user:
        return _own_inquiries(user).count()
    if user.is_review_lead:
        ready = Review.objects.ready_for_determination().count()
        return ready + _undetermined_incidents().count()
    if user.is_regulator_user:
        return _inquiries_to_read(user).count() + _unassigned().count()
    return 0
