"""The complaints' permission matrix (M17–M20): every role × every complaint action × whose
complaint it is, exercised through the services.

The table below is written out by hand from the manual's division of work (the office's service
center handles its own complaints; Quality and leadership the company's; the office carries out
the company's plan; a company department answers the customer at company level; nobody finds a
complaint about themself), so a change to ``core.permissions`` or ``complaints.rules`` that
widens or narrows anyone fails here. Each case sets the complaint up in the state the action
needs, then lets every role try it in a savepoint that is rolled back.

Allowed means the service did it. Not allowed means it refused for who the user is: 403, 404 (a
complaint of another office, or about the user, is not even found), or 409 for a level that has
no such step (a plan for an office-level complaint, escalating past leadership). The ``actions``
the API offers (``complaints.api.actions_for``) must agree with the services on every case.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction

from propdesk.complaints import api, rules, selectors
from propdesk.complaints.models import Complaint, CorrectiveActionReport
from propdesk.complaints.serializers import PreventiveMeasureSerializer
from propdesk.complaints.services import handling, intake, prevention
from propdesk.core.errors import Conflict, Forbidden, NotFound
from propdesk.core.permissions import ACTIONS as PERMISSIONS
from propdesk.org.models import Role
from tests import factories as f

from .conftest import HEARD, NOW

pytestmark = pytest.mark.django_db

ROLES = ["agent", "technician", "director", "followup", "quality", "leadership", "admin"]
A, T, D, F, Q, L, ADM = ROLES
OFFICE_ROLES = {A, T, D}
COMPANY = {F, Q, L, ADM}
STAFF = set(ROLES) - {T}
NOBODY: set = set()
N_A = None  # no such record for this action (e.g. a plan of an office-level complaint)

# Whose complaint: the user's office's, handled by its service center; the user's office's but
# handled at company level, by Quality or by leadership; another office's (office-level, or
# Quality's for the plan's steps); one about the user (the staff it names are recused).
RECORDS = ("office", "quality", "leadership", "other", "about")

# action: roles allowed, per record, in the order of RECORDS.
EXPECTED = {
    #                      own office       Quality's     leadership's   other office  about them
    "view":               (STAFF,           STAFF,        STAFF,         COMPANY,      NOBODY),
    "file":               (STAFF,           N_A,          STAFF,         COMPANY,      STAFF),
    "respond":            ({A, D, ADM},     {Q, ADM},     {L, ADM},      {ADM},        NOBODY),
    "escalate":           ({A, D, ADM},     {Q, ADM},     NOBODY,        {ADM},        NOBODY),
    "reclassify":         ({A, D, Q, L, ADM}, {Q, L, ADM}, {Q, L, ADM},  {Q, L, ADM},  NOBODY),
    "reclassify_severity": ({Q, L, ADM},    {Q, L, ADM},  {Q, L, ADM},   {Q, L, ADM},  NOBODY),
    "plan_issue":         (NOBODY,          {Q, ADM},     {L, ADM},      {Q, ADM},     NOBODY),
    "plan_report":        (N_A,             {A, D, ADM},  {A, D, ADM},   {ADM},        NOBODY),
    "plan_accept":        (N_A,             {Q, ADM},     {L, ADM},      {Q, ADM},     NOBODY),
    "plan_return":        (N_A,             {Q, ADM},     {L, ADM},      {Q, ADM},     NOBODY),
    "resolve":            ({A, D, ADM},     {Q, ADM},     {L, ADM},      {ADM},        NOBODY),
    "answer":             ({A, D, ADM},     {F, Q, ADM},  {F, Q, L, ADM}, {ADM},       NOBODY),
    "cause":              ({A, D, ADM},     {Q, ADM},     {L, ADM},      {ADM},        NOBODY),
    "measure_add":        ({A, D, ADM},     {Q, ADM},     {L, ADM},      {ADM},        NOBODY),
    "measure_done":       ({A, D, ADM},     {Q, ADM},     {L, ADM},      {ADM},        NOBODY),
    "close":              ({A, D, ADM},     {Q, ADM},     {L, ADM},      {ADM},        NOBODY),
    "report_view":        (STAFF,           STAFF,        STAFF,         COMPANY,      NOBODY),
    "report_save":        ({A, D, Q, L, ADM}, {Q, L, ADM}, {Q, L, ADM},  {Q, L, ADM},  NOBODY),
    "report_submit":      ({A, D, Q, L, ADM}, {Q, L, ADM}, {Q, L, ADM},  {Q, L, ADM},  NOBODY),
    "report_approve":     ({Q, ADM},        {Q, ADM},     {Q, ADM},      {Q, ADM},     NOBODY),
    "report_return":      ({Q, ADM},        {Q, ADM},     {Q, ADM},      {Q, ADM},     NOBODY),
}  # fmt: skip

# The permission of core.permissions each action rests on (the complaint's level narrows it).
PERMISSION = {
    "view": "complaint.view",
    "file": "complaint.file",
    "respond": "complaint.handle",
    "escalate": "complaint.escalate",
    "reclassify": "complaint.handle",
    "reclassify_severity": "complaint.reclassify",
    "plan_issue": "complaint.plan",
    "plan_report": "complaint.report",
    "plan_accept": "complaint.plan",
    "plan_return": "complaint.plan",
    "resolve": "complaint.handle",
    "answer": "complaint.answer",
    "cause": "complaint.handle",
    "measure_add": "complaint.handle",
    "measure_done": "measure.done",
    "close": "complaint.handle",
    "report_view": "report.view",
    "report_save": "report.edit",
    "report_submit": "report.edit",
    "report_approve": "report.approve",
    "report_return": "report.approve",
}
PLAN_STEPS = {"plan_issue", "plan_report", "plan_accept", "plan_return"}
# Refusals for the level, not the person: no plan below company level, nothing above leadership.
LEVEL_CONFLICTS = {"office_level", "already_top"}
T1 = NOW + dt.timedelta(hours=1)
DUE = NOW + dt.timedelta(days=8)
REPORT = {
    "title": "纠正措施",
    "facts": "事实",
    "cause": "原因",
    "correction": "纠正",
    "prevention": "预防",
    "verification": "验证",
}


# --- the people ---------------------------------------------------------------------------------


@pytest.fixture
def people(office):
    """One person of each role (office roles in ``office``), none of them the set-up's actors."""
    return {
        role: f.UserFactory(
            role=Role(role),
            office=None if role in COMPANY else office,
            is_superuser=role == ADM,
            username=f"matrix_{role}",
        )
        for role in ROLES
    }


@dataclass
class World:
    """Who sets the cases up: each office's desk agent, a Quality manager who also writes the
    reports, a leader, and a follow-up specialist who owns the preventive measures."""

    customer: object
    other_customer: object
    clerk: object
    other_clerk: object
    qboss: object
    lboss: object
    keeper: object

    def desk(self, office):
        return self.clerk if office == "own" else self.other_clerk

    def handler(self, level, office):
        return {"office": self.desk(office), "quality": self.qboss, "leadership": self.lboss}[level]


@pytest.fixture
def world(office, other_office, customer, other_customer):
    return World(
        customer=customer,
        other_customer=other_customer,
        clerk=f.UserFactory(role=Role.AGENT, office=office, username="clerk"),
        other_clerk=f.UserFactory(role=Role.AGENT, office=other_office, username="other_clerk"),
        qboss=f.UserFactory(role=Role.QUALITY, office=None, username="qboss"),
        lboss=f.UserFactory(role=Role.LEADERSHIP, office=None, username="lboss"),
        keeper=f.UserFactory(role=Role.FOLLOWUP, office=None, username="keeper"),
    )


def where(action, record, role) -> tuple[str, str]:
    """(level, office) of the complaint for this case."""
    if record == "other":
        return ("quality" if action in PLAN_STEPS else "office"), "other"
    if record != "about":
        return record, "own"
    # About the user: at the level where they would otherwise act (naming a director sends it
    # to leadership anyway), so that only the recusal stops them.
    if role in {D, F, L}:
        return "leadership", "own"
    if role == Q or action in PLAN_STEPS:
        return "quality", "own"
    return "office", "own"


# --- setting each case up -----------------------------------------------------------------------


@dataclass
class Case:
    do: object  # do(user): the action, as ``user``
    complaint: Complaint | None = None
    measure: object = None


def _complaint(w, level, office, about, *, written=False, severity="general") -> Complaint:
    kwargs = {"channel": "forum"} if written else {"channel": "hotline", **HEARD}
    if level == "leadership":
        kwargs["compensation_claimed"] = "500"
    desk = w.desk(office)
    complaint = intake.complaint_file(
        actor=desk,
        customer=w.customer if office == "own" else w.other_customer,
        account="楼道垃圾三天没人清理",
        category="environment",
        severity=severity,
        about_staff=[about] if about else [],
        now=NOW,
        **kwargs,
    )
    if level == "quality":
        handling.complaint_escalate(actor=desk, complaint=complaint, reason="需公司协调", now=NOW)
    return Complaint.objects.get(pk=complaint.pk)


def _issued(w, c, level):
    return handling.plan_issue(
        actor=w.handler(level, "own"), complaint=c, plan="调整排班", due_at=DUE, now=NOW
    )


def _reported(w, c, level, office):
    plan = _issued(w, c, level)
    return handling.plan_report(actor=w.desk(office), plan=plan, report="已完成", now=NOW)


def _resolvable(w, level, office, about) -> Complaint:
    c = _complaint(w, level, office, about)
    if level != "office":
        plan = _reported(w, c, level, office)
        handling.plan_accept(actor=w.handler(level, office), plan=plan, now=NOW)
    return c


def _resolved(w, level, office, about) -> Complaint:
    c = _resolvable(w, level, office, about)
    handling.complaint_resolve(
        actor=w.handler(level, office), complaint=c, resolution="已解决", now=NOW
    )
    return c


def _closable(w, level, office, about) -> Complaint:
    c = _resolved(w, level, office, about)
    handler = w.handler(level, office)
    handling.complaint_answer(actor=handler, complaint=c, summary="满意", satisfied=True, now=NOW)
    prevention.cause_record(
        actor=handler, complaint=c, cause_category="process", analysis="排班", now=NOW
    )
    prevention.measure_add(
        actor=handler, complaint=c, description="核对", owner=w.keeper, due_on=DUE.date(), now=NOW
    )
    return c


def _report(w, level, office, about, *, submitted=False):
    c = _complaint(w, level, office, about, severity="major")
    report = prevention.report_save(actor=w.qboss, complaint=c, **REPORT, now=NOW)
    if submitted:
        report = prevention.report_submit(actor=w.qboss, report=report, now=NOW)
    return c, report


def _seen_report(user, report):
    if not selectors.reports_for(user).filter(pk=report.pk).exists():
        raise NotFound()


def setup(action, w, level, office, about) -> Case:  # noqa: C901, PLR0911, PLR0912 - a table
    if action == "view":
        c = _complaint(w, level, office, about)
        return Case(lambda u: selectors.complaint_get(u, c.pk), c)
    if action == "file":
        customer = w.customer if office == "own" else w.other_customer

        def file(u):
            extra = {"compensation_claimed": "500"} if level == "leadership" else {}
            c = intake.complaint_file(
                actor=u,
                customer=customer,
                channel="hotline",
                account="物业费收取不透明",
                category="fees",
                about_staff=[u] if about else [],
                now=T1,
                **HEARD,
                **extra,
            )
            if about:  # they took it down; from now on it is hidden from them
                with pytest.raises(NotFound):
                    selectors.complaint_get(u, c.pk)

        return Case(file)
    if action == "respond":
        c = _complaint(w, level, office, about, written=True)
        return Case(
            lambda u: handling.complaint_respond(
                actor=u, complaint=c, understanding="理解", explanation="解释", now=T1
            ),
            c,
        )
    if action == "escalate":
        c = _complaint(w, level, office, about)
        return Case(
            lambda u: handling.complaint_escalate(actor=u, complaint=c, reason="无法处理", now=T1),
            c,
        )
    if action == "reclassify":
        c = _complaint(w, level, office, about)
        return Case(
            lambda u: handling.complaint_reclassify(
                actor=u,
                complaint=c,
                reason="客户提出赔偿",
                involves_compensation=True,
                compensation_claimed="800",
                now=T1,
            ),
            c,
        )
    if action == "reclassify_severity":
        c = _complaint(w, level, office, about)
        return Case(
            lambda u: handling.complaint_reclassify(
                actor=u, complaint=c, reason="影响面大", severity="major", now=T1
            ),
            c,
        )
    if action == "plan_issue":
        c = _complaint(w, level, office, about)
        return Case(
            lambda u: handling.plan_issue(actor=u, complaint=c, plan="方案", due_at=DUE, now=T1),
            c,
        )
    if action == "plan_report":
        c = _complaint(w, level, office, about)
        plan = _issued(w, c, level)
        return Case(lambda u: handling.plan_report(actor=u, plan=plan, report="已完成", now=T1), c)
    if action in ("plan_accept", "plan_return"):
        c = _complaint(w, level, office, about)
        plan = _reported(w, c, level, office)
        if action == "plan_accept":
            return Case(lambda u: handling.plan_accept(actor=u, plan=plan, now=T1), c)
        return Case(lambda u: handling.plan_return(actor=u, plan=plan, reason="不全", now=T1), c)
    if action == "resolve":
        c = _resolvable(w, level, office, about)
        return Case(
            lambda u: handling.complaint_resolve(actor=u, complaint=c, resolution="好", now=T1), c
        )
    if action == "answer":
        c = _resolved(w, level, office, about)
        return Case(
            lambda u: handling.complaint_answer(
                actor=u, complaint=c, summary="满意", satisfied=True, now=T1
            ),
            c,
        )
    if action == "cause":
        c = _complaint(w, level, office, about)
        return Case(
            lambda u: prevention.cause_record(
                actor=u, complaint=c, cause_category="staff", analysis="分析", now=T1
            ),
            c,
        )
    if action == "measure_add":
        c = _complaint(w, level, office, about)
        return Case(
            lambda u: prevention.measure_add(
                actor=u, complaint=c, description="措施", owner=w.keeper, due_on=DUE.date(), now=T1
            ),
            c,
        )
    if action == "measure_done":
        c = _complaint(w, level, office, about)
        measure = prevention.measure_add(
            actor=w.handler(level, office),
            complaint=c,
            description="措施",
            owner=w.keeper,
            due_on=DUE.date(),
            now=NOW,
        )
        return Case(
            lambda u: prevention.measure_done(actor=u, measure=measure, note="完成", now=T1),
            c,
            measure,
        )
    if action == "close":
        c = _closable(w, level, office, about)
        return Case(lambda u: handling.complaint_close(actor=u, complaint=c, now=T1), c)
    if action == "report_view":
        c, report = _report(w, level, office, about, submitted=True)
        return Case(lambda u: _seen_report(u, report), c)
    if action == "report_save":
        c = _complaint(w, level, office, about, severity="major")
        return Case(lambda u: prevention.report_save(actor=u, complaint=c, **REPORT, now=T1), c)
    if action == "report_submit":
        c, report = _report(w, level, office, about)
        return Case(lambda u: prevention.report_submit(actor=u, report=report, now=T1), c)
    if action in ("report_approve", "report_return"):
        c, report = _report(w, level, office, about, submitted=True)
        if action == "report_approve":
            return Case(lambda u: prevention.report_approve(actor=u, report=report, now=T1), c)
        return Case(
            lambda u: prevention.report_return(actor=u, report=report, reason="补充", now=T1), c
        )
    raise AssertionError(f"no set-up for {action}")


# --- running a case -----------------------------------------------------------------------------


def _attempt(case, user):
    """None when the service did it, else the refusal."""
    try:
        case.do(user)
    except (Forbidden, NotFound) as refusal:
        return refusal
    except Conflict as refusal:
        if refusal.code not in LEVEL_CONFLICTS:
            raise  # the case was set up in the wrong state: a bug in the test
        return refusal
    return None


def _offered(action, case, user) -> bool | None:
    """Whether the API would offer the action to ``user`` now (None: it offers no such step)."""
    c = Complaint.objects.get(pk=case.complaint.pk)
    if action == "measure_done":
        context = {"user": user, "handles": rules.handles(user, c)}
        return PreventiveMeasureSerializer(case.measure, context=context).data["may_mark_done"]
    if action not in api.ACTIONS:
        return None
    plans = list(c.plans.order_by("created_at", "pk"))
    report = CorrectiveActionReport.objects.filter(complaint=c).first()
    return action in api.actions_for(user, c, plans=plans, report=report)


CASES = [
    (action, record)
    for action, row in EXPECTED.items()
    for record, roles in zip(RECORDS, row, strict=True)
    if roles is not N_A
]


@pytest.mark.parametrize(("action", "record"), CASES)
def test_m18_m20_complaint_permission_matrix(world, people, action, record):
    expected = EXPECTED[action][RECORDS.index(record)]
    shared = None
    if record != "about":
        level, office = where(action, record, None)
        shared = setup(action, world, level, office, None)
    for role, user in people.items():
        with transaction.atomic():
            case = shared
            if case is None:  # a complaint naming this user
                case = setup(action, world, *where(action, record, role), user)
            visible = case.complaint is not None and (
                selectors.complaints_for(user).filter(pk=case.complaint.pk).exists()
            )
            offered = _offered(action, case, user) if visible else None
            refusal = _attempt(case, user)
            transaction.set_rollback(True)  # the next role finds the case as it was
        may = refusal is None
        assert may is (role in expected), (action, record, role, refusal)
        if offered is not None:  # what the API offers is what the services allow
            assert offered is may, ("actions", action, record, role)
        hidden = (record == "about" and action != "file") or (
            record == "other" and role in OFFICE_ROLES
        )
        if hidden:
            assert isinstance(refusal, NotFound), (action, record, role, refusal)


def test_m18_the_matrix_names_every_role_action_and_record():
    assert set(ROLES) == set(Role.values)
    for action, row in EXPECTED.items():
        assert len(row) == len(RECORDS), action
        for roles in row:
            assert roles is N_A or roles <= set(ROLES), action
    assert set(PERMISSION) == set(EXPECTED)
    # Every permission about complaints is exercised, and every step the API offers.
    complaint_permissions = {
        name for name in PERMISSIONS if name.split(".")[0] in {"complaint", "measure", "report"}
    }
    assert set(PERMISSION.values()) == complaint_permissions
    assert set(api.ACTIONS) <= set(EXPECTED)


def test_m18_the_level_rules_only_narrow_the_permissions():
    for action, row in EXPECTED.items():
        anywhere = set().union(*(roles for roles in row if roles))
        assert anywhere <= set(PERMISSIONS[PERMISSION[action]]), action


@pytest.mark.parametrize("role", ROLES)
def test_m20_the_measures_owner_marks_it_done_whatever_their_role(world, people, role):
    owner = people[role]
    complaint = _complaint(world, "office", "own", None)
    measure = prevention.measure_add(
        actor=world.clerk,
        complaint=complaint,
        description="每月检查",
        owner=owner,
        due_on=DUE.date(),
        now=NOW,
    )
    done = prevention.measure_done(actor=owner, measure=measure, note="已完成", now=T1)
    assert done.done_by == owner
