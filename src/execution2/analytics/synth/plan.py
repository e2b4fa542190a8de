"""A synthetic strategic plan for a synthetic organization, reproducible from the seed.

    >>> from execution2.analytics.synth import generate_organization
    >>> company = generate_organization(people=200, seed=7)
    >>> plan = generate_plan(company, seed=7, as_of=datetime.date(2026, 6, 1))
    >>> 3 <= len(plan.opportunities) <= 5 and 10 <= len(plan.initiatives) <= 20
    True

Opportunities, initiatives across units (one run by Marketing alone: the marketing trap; one
that overspends), KPIs with values, tactics, and assignments with their history: delegated by
managers to their reports, some never acknowledged, some late, check-ins, blockers (some
escalated), recognition, resources and returns. Each manager has a delegation style (how often
they give instructions and due dates, how fast their people acknowledge), so the delegation
evidence differs between managers; the managers of one division (`synth.story`: Operations)
have a poor one, matching their low delegation scores in the survey. Bulk columns are numpy
arrays; times are seconds since the epoch (UTC). Draws come from `stream(seed, "plan", ...)`.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from execution2.analytics.synth.model import SyntheticOrganization
from execution2.analytics.synth.random import stream
from execution2.analytics.synth.story import TRAP_FUNCTION, WEAK_DELEGATION_FUNCTION

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

DAY = 86400.0
# Assignment status codes in the arrays (the app maps them to its choices).
PROPOSED, ACKNOWLEDGED, IN_PROGRESS, DONE, DROPPED = range(5)
STATUS_NAMES = ("proposed", "acknowledged", "in_progress", "done", "dropped")

OPPORTUNITIES = (
    ("green", "Buyers who pay for sustainability", "Consumers, 25-45, urban"),
    ("smb", "Small businesses moving online", "Companies of 5-50 people"),
    ("community", "Customers who talk about us online", "Social media communities"),
    ("service", "Self-service support", "Existing customers"),
    ("export", "Neighbouring markets", "Distributors abroad"),
)
INITIATIVES = (
    "Launch the eco product line",
    "Open an online shop for small businesses",
    "Build a customer community",
    "Answer customers on social media within an hour",
    "Self-service help centre",
    "Partner programme for distributors",
    "Price the product by usage",
    "Shorten delivery to two days",
    "Customer data in one place",
    "Train every manager in coaching",
    "Automate the monthly close",
    "Move hosting to a greener provider",
    "Quarterly product releases to monthly",
    "Referral programme",
    "Reduce churn in the first 90 days",
    "Open a sales office abroad",
    "Recruit a product council of customers",
    "Simplify the contract",
    "Measure customer effort",
    "Retire the legacy order system",
)
TRAP_TITLE = "Social media campaign for the brand"
TACTICS = (
    "Research and design",
    "Pilot",
    "Roll-out",
    "Training",
    "Measurement",
    "Communication",
)
TASKS = (
    "Draft the proposal",
    "Interview five customers",
    "Prepare the budget",
    "Review the pilot results",
    "Update the process description",
    "Write the training material",
    "Set up the dashboard",
    "Agree the targets with the team",
    "Brief the agency",
    "Test with ten users",
    "Present to the leadership team",
    "Clean up the customer data",
    "Run the workshop",
    "Document the decisions",
    "Plan the next sprint",
)
KUDOS = (
    "Thanks for stepping in so quickly.",
    "Great work on the customer workshop.",
    "Your analysis made the decision easy.",
    "Thank you for helping the new colleague.",
    "The pilot went smoothly thanks to you.",
    "Clear, calm and on time: thank you.",
)
BLOCKERS = (
    "Waiting for a budget decision.",
    "Need data from another team.",
    "The supplier has not answered.",
    "Two priorities conflict; which comes first?",
    "Missing access to the system.",
)
KPI_TEMPLATES = (
    ("Revenue from the initiative", "EUR k", 0.0, 500.0, "up"),
    ("Customer satisfaction", "points", 7.1, 8.5, "up"),
    ("Time to answer", "hours", 24.0, 4.0, "down"),
    ("Share of customers using it", "%", 2.0, 25.0, "up"),
    ("Cost per order", "EUR", 12.0, 9.0, "down"),
)


@dataclass(frozen=True, slots=True)
class PlanOpportunity:
    key: str
    title: str
    segment: str
    size_estimate: float


@dataclass(frozen=True, slots=True)
class PlanInitiative:
    key: str
    title: str
    owner: int
    """Index into company.people, as every person reference below."""
    sponsor: int
    units: tuple[str, ...]
    """Top-level unit names involved."""
    start: datetime.date
    end: datetime.date
    status: str
    weight: float
    opportunities: tuple[str, ...]
    parents: tuple[str, ...]
    marketing_trap: bool
    overspends: bool


@dataclass(frozen=True, slots=True)
class PlanKPI:
    initiative: int
    name: str
    unit: str
    baseline: float
    target: float
    direction: str
    values: tuple[tuple[datetime.date, float], ...]


@dataclass(frozen=True, slots=True)
class PlanTactic:
    initiative: int
    title: str
    weight: float


@dataclass(frozen=True, slots=True)
class Assignments:
    initiative: IntArray
    tactic: IntArray
    """Index into the tactics, or -1 for an assignment directly under its initiative."""
    owner: IntArray
    delegator: IntArray
    title: IntArray
    """Index into TASKS."""
    instructed: BoolArray
    due: FloatArray
    """Seconds; NaN without a due date (a due date is its day at noon UTC)."""
    status: IntArray
    progress: FloatArray
    created: FloatArray
    acknowledged: FloatArray
    completed: FloatArray


@dataclass(frozen=True, slots=True)
class CheckIns:
    assignment: IntArray
    time: FloatArray
    progress: FloatArray
    confidence: IntArray


@dataclass(frozen=True, slots=True)
class Blockers:
    assignment: IntArray
    raised: FloatArray
    escalated_to: IntArray
    """-1 when not escalated."""
    resolved: FloatArray
    resolution: IntArray
    """0 collaborative, 1 decided, 2 withdrawn; -1 open."""
    text: IntArray


@dataclass(frozen=True, slots=True)
class Recognitions:
    giver: IntArray
    receiver: IntArray
    time: FloatArray
    message: IntArray
    assignment: IntArray
    """-1 when not for an assignment."""


@dataclass(frozen=True, slots=True)
class PlanResource:
    initiative: int
    kind: str
    period: datetime.date
    planned: float
    actual: float
    rate: float


@dataclass(frozen=True, slots=True)
class PlanReturn:
    initiative: int
    period: datetime.date
    amount: float
    kind: str


@dataclass(frozen=True, slots=True)
class SyntheticPlan:
    opportunities: tuple[PlanOpportunity, ...]
    initiatives: tuple[PlanInitiative, ...]
    kpis: tuple[PlanKPI, ...]
    tactics: tuple[PlanTactic, ...]
    assignments: Assignments
    checkins: CheckIns
    blockers: Blockers
    recognitions: Recognitions
    resources: tuple[PlanResource, ...]
    returns: tuple[PlanReturn, ...]
    as_of: datetime.date


def _top(unit_path: str) -> str:
    return unit_path.split(" / ")[0]


def _epoch(day: datetime.date) -> float:
    """Noon UTC of the day, in seconds since the epoch."""
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC).timestamp()


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(datetime.date(year, month, 1))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return months


def generate_plan(
    company: SyntheticOrganization,
    *,
    seed: int,
    as_of: datetime.date,
    assignments: int | None = None,
    checkins_per_assignment: float = 3.0,
    initiatives: int | None = None,
) -> SyntheticPlan:
    """The plan of `company` as it stands on `as_of` (see the module docstring).

    `assignments` defaults to four per person; `initiatives` to 10-20 by the company's size.
    """
    people = company.people
    n_people = len(people)
    rng = stream(seed, "plan", "structure")
    index = {p.external_id: n for n, p in enumerate(people)}
    manager = np.array([index.get(p.manager_id, -1) if p.manager_id else -1 for p in people])
    top = [_top(p.unit_path) for p in people]
    functions = sorted({t for t in top if t != "Executive Office"} or set(top))
    reports: dict[int, list[int]] = {}
    for n, m in enumerate(manager):
        if m >= 0:
            reports.setdefault(int(m), []).append(n)
    managers = sorted(reports)
    managers_by_function: dict[str, list[int]] = {}
    for m in managers:
        managers_by_function.setdefault(top[m], []).append(m)
    ceo = 0
    heads = {top[n]: n for n, p in enumerate(people) if p.level == 1}

    # Opportunities.
    n_opportunities = int(rng.integers(3, 6))
    opportunities = tuple(
        PlanOpportunity(key, title, segment, float(round(rng.lognormal(14, 0.6), -3)))
        for key, title, segment in OPPORTUNITIES[:n_opportunities]
    )

    # Initiatives.
    n_initiatives = initiatives or int(
        np.clip(round(8 + math.log10(max(n_people, 30)) * 3), 10, 20)
    )
    titles = list(INITIATIVES)
    order = rng.permutation(len(titles))
    plan_initiatives: list[PlanInitiative] = []
    marketing = TRAP_FUNCTION if TRAP_FUNCTION in functions else functions[0]
    for i in range(n_initiatives):
        trap = i == 1
        overspends = i == 2
        if trap:
            units: tuple[str, ...] = (marketing,)
            title = TRAP_TITLE
        else:
            k = int(rng.integers(min(3, len(functions)), min(4, len(functions)) + 1))
            units = tuple(sorted(rng.choice(functions, size=k, replace=False).tolist()))
            title = titles[int(order[i % len(titles)])]
        lead = units[0]
        candidates = managers_by_function.get(lead) or managers
        owner = (
            heads.get(lead, candidates[0]) if rng.random() < 0.5 else int(rng.choice(candidates))
        )
        start = as_of - datetime.timedelta(days=int(rng.integers(60, 300)))
        end = as_of + datetime.timedelta(days=int(rng.integers(60, 330)))
        opp = [opportunities[i % n_opportunities].key]
        if rng.random() < 0.3:
            other = opportunities[int(rng.integers(n_opportunities))].key
            if other not in opp:
                opp.append(other)
        parents: tuple[str, ...] = ()
        if i >= n_initiatives - 2 and i > 3:
            parents = (f"i{int(rng.integers(3, i)) + 1:02d}",)
        status = "active"
        if i == n_initiatives - 3:
            status = "on_hold"
        plan_initiatives.append(
            PlanInitiative(
                key=f"i{i + 1:02d}",
                title=title,
                owner=int(owner),
                sponsor=ceo,
                units=units,
                start=start,
                end=end,
                status=status,
                weight=float(rng.choice([1.0, 1.0, 2.0, 3.0])),
                opportunities=tuple(opp),
                parents=parents,
                marketing_trap=trap,
                overspends=overspends,
            )
        )

    # KPIs with monthly values that move towards the target.
    kpis = []
    for i, initiative in enumerate(plan_initiatives):
        for t in rng.choice(len(KPI_TEMPLATES), size=int(rng.integers(1, 3)), replace=False):
            name, unit, baseline, target, direction = KPI_TEMPLATES[int(t)]
            months = [m for m in _months(initiative.start, as_of)[1:] if m <= as_of]
            pace = float(rng.uniform(0.3, 1.2))
            values = []
            span = max((initiative.end - initiative.start).days, 1)
            for m in months:
                share = min(1.0, (m - initiative.start).days / span * pace)
                noise = float(rng.normal(0, 0.05))
                value = baseline + (target - baseline) * max(0.0, share + noise)
                values.append((m - datetime.timedelta(days=1), round(value, 2)))
            kpis.append(PlanKPI(i, name, unit, baseline, target, direction, tuple(values)))

    tactics: list[PlanTactic] = []
    tactic_ranges: list[tuple[int, int]] = []
    for i in range(n_initiatives):
        chosen = rng.choice(len(TACTICS), size=int(rng.integers(2, 5)), replace=False)
        first = len(tactics)
        tactics.extend(PlanTactic(i, TACTICS[int(t)], 1.0) for t in sorted(chosen))
        tactic_ranges.append((first, len(tactics)))

    # Assignments, vectorised: initiative, delegator among its units' managers, a_owner a report.
    a_rng = stream(seed, "plan", "assignments")
    n_assign = assignments if assignments is not None else 4 * n_people
    split = a_rng.dirichlet(np.full(n_initiatives, 2.0))
    a_init = np.sort(a_rng.choice(n_initiatives, size=n_assign, p=split)).astype(np.int64)
    delegator = np.zeros(n_assign, dtype=np.int64)
    for i, initiative in enumerate(plan_initiatives):
        rows = np.nonzero(a_init == i)[0]
        # Work is spread over the initiative's units first, then over each unit's managers.
        # A few managers per unit carry an initiative, so no unit swamps it by its size alone.
        pools = [
            sorted(a_rng.permutation(managers_by_function[u])[:3].tolist())
            for u in initiative.units
            if managers_by_function.get(u)
        ]
        pools = pools or [managers]
        unit_pick = a_rng.integers(0, len(pools), size=len(rows))
        for n_pool, pool in enumerate(pools):
            chosen = rows[unit_pick == n_pool]
            delegator[chosen] = np.asarray(pool)[a_rng.integers(0, len(pool), size=len(chosen))]
    offsets = np.zeros(n_people + 1, dtype=np.int64)
    counts = np.array([len(reports.get(n, [])) for n in range(n_people)], dtype=np.int64)
    offsets[1:] = np.cumsum(counts)
    flat = np.array([r for n in range(n_people) for r in reports.get(n, [])], dtype=np.int64)
    # Managers favour some reports: a skewed pick spreads work unevenly, as in life.
    pick = np.floor(a_rng.random(n_assign) ** 1.6 * counts[delegator]).astype(np.int64)
    a_owner = flat[offsets[delegator] + np.minimum(pick, counts[delegator] - 1)]
    a_tactic = np.full(n_assign, -1, dtype=np.int64)
    for i, (lo, hi) in enumerate(tactic_ranges):
        rows = np.nonzero(a_init == i)[0]
        direct = a_rng.random(len(rows)) < 0.15
        a_tactic[rows] = np.where(direct, -1, a_rng.integers(lo, hi, size=len(rows)))

    # Each manager's style: 0 (careless) .. 1 (exemplary); mostly good (mean 0.67).
    style = stream(seed, "plan", "style").beta(4, 2, size=n_people)
    # The weak delegation division (synth.story): a poor style (mean 0.2), from its own stream
    # so everyone else's style stays as it was.
    weak = np.array([t == WEAK_DELEGATION_FUNCTION for t in top], dtype=np.bool_)
    style[weak] = stream(seed, "plan", "style", "weak").beta(1.5, 6, size=int(weak.sum()))
    q = style[delegator]
    now = _epoch(as_of)
    starts = np.array([_epoch(x.start) for x in plan_initiatives])
    created = starts[a_init] + a_rng.random(n_assign) * (now - starts[a_init])
    instructed = a_rng.random(n_assign) < 0.35 + 0.6 * q
    has_due = a_rng.random(n_assign) < 0.4 + 0.6 * q
    due_at = created + a_rng.integers(7, 61, size=n_assign) * DAY
    due = np.where(has_due, np.floor(due_at / DAY) * DAY + DAY / 2, np.nan)
    ack_delay = a_rng.exponential(0.5 + 4.0 * (1 - q)) * DAY
    never = a_rng.random(n_assign) < 0.04 + 0.16 * (1 - q)
    acknowledged = np.where(never | (created + ack_delay > now), np.nan, created + ack_delay)
    # Work takes its planned r_time, stretched for careless delegators; some finish late.
    planned = np.where(
        has_due, (due_at - created) * 0.8, a_rng.integers(14, 61, size=n_assign) * DAY
    )
    stretch = a_rng.lognormal(-0.2 + 0.6 * (1 - q), 0.3)
    finish = np.where(np.isnan(acknowledged), np.inf, acknowledged + planned * stretch)
    dropped = a_rng.random(n_assign) < 0.03
    done = ~dropped & (finish <= now)
    completed = np.where(done, finish, np.nan)
    elapsed = np.clip(
        (now - np.nan_to_num(acknowledged, nan=now)) / np.maximum(planned * stretch, DAY), 0, 0.95
    )
    progress = np.where(done, 100.0, np.round(elapsed * 100.0, 0))
    progress = np.where(np.isnan(acknowledged) & ~done, 0.0, progress)
    a_status = np.where(
        dropped,
        DROPPED,
        np.where(
            done,
            DONE,
            np.where(
                np.isnan(acknowledged), PROPOSED, np.where(progress > 0, IN_PROGRESS, ACKNOWLEDGED)
            ),
        ),
    ).astype(np.int64)
    a_title = a_rng.integers(0, len(TASKS), size=n_assign).astype(np.int64)
    assignments_out = Assignments(
        initiative=a_init,
        tactic=a_tactic,
        owner=a_owner,
        delegator=delegator,
        title=a_title,
        instructed=instructed,
        due=due,
        status=a_status,
        progress=progress,
        created=created,
        acknowledged=acknowledged,
        completed=completed,
    )

    # Check-ins between acknowledgement and completion (or today), progress rising to its last.
    c_rng = stream(seed, "plan", "checkins")
    active = (a_status == IN_PROGRESS) | (a_status == DONE)
    n_checkins = np.where(
        active, 1 + c_rng.poisson(max(checkins_per_assignment - 1, 0.0), size=n_assign), 0
    )
    c_assign = np.repeat(np.arange(n_assign, dtype=np.int64), n_checkins)
    u = c_rng.random(len(c_assign))
    order_c = np.lexsort((u, c_assign))
    c_assign = c_assign[order_c]
    u = u[order_c]
    c_first = np.repeat(np.cumsum(n_checkins) - n_checkins, n_checkins)
    rank = np.arange(len(c_assign)) - c_first + 1
    size = n_checkins[c_assign]
    begin = acknowledged[c_assign]
    finish_at = np.where(done[c_assign], completed[c_assign], now)
    # A finished assignment's last check-in is its completion; open ones stop some time ago.
    last = done[c_assign] & (rank == size)
    c_time = np.where(last, finish_at, begin + u * (finish_at - begin))
    c_progress = np.round(progress[c_assign] * rank / size, 0)
    confidence = np.clip(np.round(c_rng.normal(4 + 5 * q[c_assign], 1.5)), 0, 10).astype(np.int64)
    checkins = CheckIns(c_assign, c_time, c_progress, confidence)

    # Blockers on about one assignment in twenty; escalated to the delegator's manager.
    b_rng = stream(seed, "plan", "blockers")
    blocked = np.nonzero(active & (b_rng.random(n_assign) < 0.05))[0]
    raised = acknowledged[blocked] + b_rng.random(len(blocked)) * (
        np.where(done[blocked], completed[blocked], now) - acknowledged[blocked]
    )
    boss = manager[delegator[blocked]]
    escalated = np.where((b_rng.random(len(blocked)) < 0.5) & (boss >= 0), boss, -1)
    resolved = raised + b_rng.exponential(2.0 + 8.0 * (1 - q[blocked])) * DAY
    resolved = np.where(done[blocked], np.minimum(resolved, completed[blocked]), resolved)
    resolved = np.where(resolved > now, np.nan, resolved)
    resolution = np.where(
        np.isnan(resolved),
        -1,
        np.where(escalated >= 0, 1, b_rng.choice([0, 0, 0, 2], size=len(blocked))),
    ).astype(np.int64)
    blockers = Blockers(
        blocked.astype(np.int64),
        raised,
        escalated.astype(np.int64),
        resolved,
        resolution,
        b_rng.integers(0, len(BLOCKERS), size=len(blocked)).astype(np.int64),
    )

    # Recognition: mostly for finished work, from the delegator; some between colleagues.
    r_rng = stream(seed, "plan", "recognition")
    finished = np.nonzero(done)[0]
    thanked = finished[r_rng.random(len(finished)) < 0.15 + 0.35 * q[finished]]
    peers = r_rng.integers(0, n_people, size=max(n_people // 4, 1))
    peer_to = np.where(manager[peers] >= 0, manager[peers], (peers + 1) % n_people)
    giver = np.concatenate([delegator[thanked], peers])
    receiver = np.concatenate([a_owner[thanked], peer_to])
    r_time = np.concatenate(
        [
            np.minimum(completed[thanked] + r_rng.exponential(DAY, len(thanked)), now),
            now - r_rng.random(len(peers)) * 90 * DAY,
        ]
    )
    keep = giver != receiver
    recognitions = Recognitions(
        giver[keep].astype(np.int64),
        receiver[keep].astype(np.int64),
        r_time[keep],
        r_rng.integers(0, len(KUDOS), size=int(keep.sum())).astype(np.int64),
        np.concatenate([thanked, np.full(len(peers), -1)])[keep].astype(np.int64),
    )

    # Money: a monthly budget, people's hours, and returns that start after a few months.
    m_rng = stream(seed, "plan", "money")
    resources: list[PlanResource] = []
    returns: list[PlanReturn] = []
    for i, initiative in enumerate(plan_initiatives):
        months = _months(initiative.start, initiative.end)
        budget = float(round(m_rng.lognormal(10.5, 0.5), -2))
        hours = float(round(m_rng.uniform(40, 240)))
        rate = float(m_rng.choice([60.0, 80.0, 100.0]))
        over = 1.45 if initiative.overspends else 1.0
        yield_factor = 0.4 if initiative.overspends else float(m_rng.uniform(1.2, 3.0))
        for n_m, month in enumerate(months):
            past = month <= as_of
            spend = budget * over * float(m_rng.normal(1.0, 0.08)) if past else 0.0
            worked = hours * over * float(m_rng.normal(1.0, 0.1)) if past else 0.0
            resources.append(
                PlanResource(i, "financial", month, budget, round(max(spend, 0.0), 2), 1.0)
            )
            resources.append(
                PlanResource(i, "human", month, hours, round(max(worked, 0.0), 1), rate)
            )
            if past and n_m >= 3 and not initiative.marketing_trap:
                ramp = min(1.0, (n_m - 2) / 6)
                amount = (
                    (budget + hours * rate) * yield_factor * ramp * float(m_rng.normal(1.6, 0.3))
                )
                returns.append(
                    PlanReturn(
                        i,
                        month,
                        round(max(amount, 0.0), 2),
                        str(m_rng.choice(["revenue", "saving"])),
                    )
                )
    return SyntheticPlan(
        opportunities=opportunities,
        initiatives=tuple(plan_initiatives),
        kpis=tuple(kpis),
        tactics=tuple(tactics),
        assignments=assignments_out,
        checkins=checkins,
        blockers=blockers,
        recognitions=recognitions,
        resources=tuple(resources),
        returns=tuple(returns),
        as_of=as_of,
    )
