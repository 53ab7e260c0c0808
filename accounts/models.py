from datetime import UTC

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import audit_chain
from accounts.validators import validate_corporate_number


class Organisation(models.Model):
    class Kind(models.TextChoices):
        AGGREGATOR = "aggregator", _("Aggregator (特定卸供給事業者)")
        REGULATOR = "regulator", _("Regulator")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200, unique=True)
    corporate_number = models.CharField(
        _("corporate number (法人番号)"),
        max_length=13,
        blank=True,
        validators=[validate_corporate_number],
    )
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["aggregator", "regulator"]),
                name="organisation_kind_valid",
            ),
            models.UniqueConstraint(
                fields=["corporate_number"],
                condition=~models.Q(corporate_number=""),
                name="organisation_corporate_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.AGGREGATOR and not self.corporate_number:
            raise ValidationError(
                {"corporate_number": _("An aggregator needs its corporate number (法人番号).")}
            )

    @property
    def is_aggregator(self) -> bool:
        return self.kind == self.Kind.AGGREGATOR


class Role(models.TextChoices):
    AGGREGATOR_STAFF = "aggregator_staff", _("Aggregator staff")
    AGGREGATOR_OFFICER = "aggregator_officer", _("Aggregator officer")
    REVIEWER = "reviewer", _("Reviewer")
    REVIEW_LEAD = "review_lead", _("Review lead")
    ADMIN = "admin", _("Administrator")


AGGREGATOR_ROLES = {Role.AGGREGATOR_STAFF, Role.AGGREGATOR_OFFICER}
REGULATOR_ROLES = {Role.REVIEWER, Role.REVIEW_LEAD, Role.ADMIN}
REVIEWER_ROLES = {Role.REVIEWER, Role.REVIEW_LEAD}  # who reviews filings and can be assigned


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def reviewers(self):
        """Active reviewers and review leads: assignable, notified of new filings."""
        return self.filter(role__in=REVIEWER_ROLES, is_active=True)

    def create_superuser(self, email, password=None, **fields):
        fields["role"] = Role.ADMIN
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("admin site access"), default=False, editable=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[choice.value for choice in Role]),
                name="user_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def clean(self) -> None:
        super().clean()
        self.email = self.email.lower()
        if self.role in AGGREGATOR_ROLES:
            if self.organisation is None or not self.organisation.is_aggregator:
                raise ValidationError(
                    {"organisation": _("Aggregator staff and officers belong to an aggregator.")}
                )
        elif self.role in REGULATOR_ROLES and self.organisation is not None:  # noqa: SIM102
            if self.organisation.is_aggregator:
                raise ValidationError(
                    {"organisation": _("Regulator roles cannot belong to an aggregator.")}
                )

    def save(self, *args, **kwargs):
        # Admin-site access and permissions follow the role; they are never granted by hand.
        self.is_staff = self.is_superuser = self.role == Role.ADMIN
        super().save(*args, **kwargs)

    @property
    def is_aggregator_user(self) -> bool:
        return self.role in AGGREGATOR_ROLES

    @property
    def is_reviewer(self) -> bool:
        return self.role in REVIEWER_ROLES

    @property
    def is_regulator_user(self) -> bool:
        return self.role in REGULATOR_ROLES

    @property
    def can_submit_filings(self) -> bool:
        return self.role == Role.AGGREGATOR_OFFICER

    @property
    def is_review_lead(self) -> bool:
        return self.role == Role.REVIEW_LEAD


class AuditAction(models.TextChoices):
    """Every action the audit log records; one name each."""

    ADMIN_ADD = "admin.add", _("Added in the admin site")
    ADMIN_CHANGE = "admin.change", _("Changed in the admin site")
    ADMIN_DELETE = "admin.delete", _("Deleted in the admin site")
    CATALOGUE_IMPORT = "catalogue.import", _("Catalogue imported")
    CATALOGUE_PUBLISH = "catalogue.publish", _("Catalogue published")
    CATALOGUE_DRAFT = "catalogue.draft", _("Catalogue draft created")
    FILING_CREATE = "filing.create", _("Filing created")
    FILING_SAVE_HEADER = "filing.save_header", _("Filing header saved")
    FILING_SAVE_ANSWERS = "filing.save_answers", _("Answers saved")
    FILING_SAVE_LOWER = "filing.save_lower_aggregators", _("Lower-level aggregators saved")
    FILING_SUBMIT = "filing.submit", _("Filing submitted")
    FILING_REQUEST_SUBMISSION = "filing.request_submission", _("Submission requested (確認依頼)")
    FILING_SEND_BACK = "filing.send_back", _("Draft sent back (差戻し)")
    CHANGE_NOTIFICATION_START = "filing.start_change_notification", _("Change notification started")
    EVIDENCE_UPLOAD = "evidence.upload", _("Evidence uploaded")
    EVIDENCE_REMOVE = "evidence.remove", _("Evidence removed")
    EVIDENCE_DOWNLOAD = "evidence.download", _("Evidence downloaded")
    REVIEW_OPEN = "review.open", _("Review opened")
    REVIEW_RECORD_ACCEPTANCE = "review.record_acceptance", _("Acceptance date recorded")
    REVIEW_ASSIGN = "review.assign", _("Review assigned")
    REVIEW_DETERMINE = "review.determine", _("Review determined")
    FLAG_UPHOLD = "flag.uphold", _("Flag upheld")
    FLAG_WITHDRAW = "flag.withdraw", _("Flag withdrawn")
    FLAG_INQUIRE = "flag.inquire", _("Inquiry sent")
    INQUIRY_ANSWER = "inquiry.answer", _("Inquiry answered")
    INQUIRY_DOWNLOAD = "inquiry.download", _("Inquiry attachment downloaded")
    INCIDENT_FILE = "incident.file", _("Security incident report filed")
    INCIDENT_DETERMINE = "incident.determine", _("Security incident report determined")
    REPORT_REQUEST = "report.request", _("Report requested")
    REPORT_DOWNLOAD = "report.download", _("Report downloaded")
    REPORT_VERIFY = "report.verify", _("Report verified")
    MFA_ENROL = "mfa.enrol", _("Multi-factor authentication set up")
    MFA_USE_RECOVERY_CODE = "mfa.use_recovery_code", _("Recovery code used")
    MFA_RESET = "mfa.reset", _("Multi-factor authentication reset")
    LOGIN_ALERT_FAILURES = "login.alert_failures", _("Many failed logins on an account")
    PASSWORD_CHANGE_THROTTLE = "password.throttle_change", _("Password change throttled")
    REMINDER_SEND = "reminder.send", _("Reminder sent")
    LEGAL_IMPORT = "legal.import", _("Legal bases imported")
    LEGAL_PUBLISH = "legal.publish", _("Legal bases published")
    LEGAL_DRAFT = "legal.draft", _("Legal bases draft created")
    REVIEW_SHORTEN_PERIOD = "review.shorten_waiting_period", _("Waiting period shortened")
    REVIEW_EXTEND_WINDOW = "review.extend_order_window", _("Period extended")
    ORDER_CASE_OPEN = "order.open", _("Order procedure opened")
    ORDER_CASE_PROCEDURE = "order.choose_procedure", _("Procedure chosen")
    ORDER_NOTICE_DRAFT = "order.draft_notice", _("Notice drafted")
    ORDER_NOTICE_ISSUE = "order.issue_notice", _("Notice issued")
    ORDER_NOTICE_DELIVERY = "order.record_delivery", _("Arrival of a notice recorded")
    ORDER_EXPLANATION = "order.explanation", _("Written explanation recorded")
    ORDER_OPINION = "order.opinion", _("Commission opinion recorded")
    ORDER_FOLLOW_UP = "order.follow_up", _("Follow-up recorded")
    ORDER_CASE_CLOSE = "order.close", _("Order procedure closed")
    ORDER_APPEAL = "order.appeal", _("Appeal recorded")
    ORDER_CONSENT = "order.consent", _("Consent to electronic notices recorded")
    CATALOGUE_MAP = "catalogue.map", _("Catalogue mapping proposed")
    FILING_CARRY_OVER = "filing.carry_over", _("Filing moved to a new catalogue version")
    FILING_UNDO_CARRY_OVER = "filing.undo_carry_over", _("Move to a new catalogue version undone")
    FILING_CONFIRM_CARRIED = "filing.confirm_carried", _("Carried-over answers confirmed")
    COMMENT_PERIOD_OPEN = "consultation.open", _("Comment period opened")
    OPINION_SUBMIT = "consultation.opinion", _("Opinion submitted")
    OPINION_RECORD = "consultation.record_opinion", _("Opinion from another channel recorded")
    RESPONSE_SAVE = "consultation.response", _("Response to opinions saved")
    RESPONSE_TABLE_APPROVE = "consultation.approve", _("Table of opinions and responses approved")
    RESPONSE_TABLE_RENDER = "consultation.render", _("Table of opinions and responses rendered")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def record(
        self,
        *,
        actor,
        action: AuditAction,
        target=None,
        ip_address=None,
        summary: str = "",
        data=None,
    ):
        """Append one event and link it into the hash chain; services (and the admin's audited
        mixin) are the only callers, and this is the only way an event is created."""
        using = self.db
        # Callers hold a transaction already; this one (a savepoint then) also covers a caller
        # that does not, so that the lock below is held until the event is linked and committed.
        with transaction.atomic(using=using):
            connection = connections[using]
            if connection.vendor == "postgresql":
                # Serialise appends: the lock is held until the caller's transaction ends, so a
                # second writer reads the head only after the first one's event is committed.
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [audit_chain.CHAIN_LOCK_KEY])
            # Insert first, then link: the id is part of the hashed content and only the insert
            # assigns it portably (PostgreSQL has a sequence to draw from, SQLite does not). On
            # SQLite the insert also takes the database's write lock, so no other writer can
            # append between it and the read of the previous event below. The fill-in is an
            # update within this transaction (the PostgreSQL trigger allows exactly this one).
            event = self.create(
                actor=actor if actor is not None and actor.is_authenticated else None,
                action=action,
                target_type=target._meta.label if target is not None else "",
                target_id=str(target.pk) if target is not None else "",
                summary=summary or (str(target) if target is not None else ""),
                data=data or {},
                ip_address=ip_address,
            )
            previous = self.filter(pk__lt=event.pk).order_by("-pk").values_list("hash", flat=True)
            event.prev_hash = previous.first() or audit_chain.GENESIS
            # Hash the content as stored (read back), not as passed: the database normalises
            # some values (IPv6 addresses, JSON numbers), and verification reads them back too.
            stored = self.filter(pk=event.pk).values(*audit_chain.CONTENT_FIELDS).get()
            event.hash = audit_chain.event_hash(prev_hash=event.prev_hash, row=stored)
            self.filter(pk=event.pk).update(prev_hash=event.prev_hash, hash=event.hash)
        return event

    def chain_rows(self):
        """Every event's chained columns in id order, streamed (the log can be large)."""
        return self.order_by("id").values(*audit_chain.CHAIN_FIELDS).iterator(chunk_size=2000)

    def walk_chain(self) -> audit_chain.ChainState:
        return audit_chain.walk_chain(rows=self.chain_rows())

    def verify_chain(self) -> int | None:
        """The id of the first event that breaks the chain, or None when it is intact."""
        return self.walk_chain().broken_id

    def head(self) -> "AuditEvent | None":
        """The last event: its id and hash stand for the whole log up to it."""
        return self.order_by("-id").first()


class AuditEvent(models.Model):
    """Append-only record of who did what, when and from where."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.PROTECT, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=60, choices=AuditAction.choices)

    Action = AuditAction
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # The hash chain (accounts/audit_chain.py): SHA-256 hex of the previous event's hash and of
    # this event's content. Filled in by ``record``; never edited afterwards.
    prev_hash = models.CharField(
        _("previous event's hash"), max_length=64, default="", editable=False
    )
    hash = models.CharField(_("hash"), max_length=64, default="", editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit events are append-only.")


class AuditAnchor(models.Model):
    """The audit chain's head at one moment, signed with the report key (accounts/anchors.py).
    Kept outside the audit table (here, as a file, and mailed to the admins), so that rows cut
    from the end of the log show against it. Append-only, like the log."""

    class Reason(models.TextChoices):
        DAILY = "daily", _("Daily anchor")
        DOCUMENT = "document", _("Signed document")

    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    document = models.CharField(_("document"), max_length=200, blank=True)
    head_id = models.PositiveBigIntegerField(_("head event id"))  # not a key: rows may be cut
    head_hash = models.CharField(_("head hash"), max_length=64)
    certificate_sha256 = models.CharField(_("certificate SHA-256"), max_length=64)
    signature = models.TextField(_("signature"))  # base64, RSA PKCS#1 v1.5 SHA-256
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("audit anchor")
        verbose_name_plural = _("audit anchors")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.head_id}:{self.head_hash[:12]}"

    def signed_text(self) -> bytes:
        """What the signature covers: one line, the same in the table, the file and the mail."""
        when = self.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return (
            f"portal-audit-anchor/1 {when} {self.reason} {self.head_id}:{self.head_hash}".encode()
        )
