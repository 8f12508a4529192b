"""Who can read, list and write a GCS bucket and its objects: a pure function of gathered facts.

Example: a bucket whose IAM policy binds ``allUsers`` to ``roles/storage.objectViewer`` and whose
public access prevention is ``inherited`` from an organisation that does not enforce it is judged
read=public, list=public, write=private. Under a condition that holds only for objects named
``public/...``, the bucket stays read=public (some objects are), its ``private/...`` objects are
private, and list is private: IAM checks storage.objects.list against the bucket, not an object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from bucketscan.policies.access.evaluator import Evaluator
from bucketscan.policies.access.gcs_conditions import (
    BUCKET,
    OBJECT,
    bucket_resource,
    judge,
    modelled,
    object_resource,
)
from bucketscan.policies.access.gcs_roles import (
    BASIC_ROLES,
    OBJECTS_GET,
    OBJECTS_LIST,
    WRITE_PERMISSIONS,
    is_custom_role,
    role_permissions,
)
from bucketscan.records.common import (
    Bucket,
    BucketAccess,
    Exposure,
    ObjectAccess,
    StoredObject,
    widest,
)
from bucketscan.records.gcs import GcsAclEntry, GcsBucketFacts, GcsObjectFacts, IamBinding
from bucketscan.records.unreadable import Unreadable

PUBLIC_MEMBERS = {"allUsers": Exposure.PUBLIC, "allAuthenticatedUsers": Exposure.AUTHENTICATED}
_READ_ROLES = frozenset({"READER", "OWNER"})
_WRITE_ROLES = frozenset({"WRITER", "OWNER"})
_NOT_PREVENTED = frozenset({"inherited", "unspecified"})


class Action(StrEnum):
    """The three exposures a bucket verdict reports."""

    READ = "read"
    LIST = "list"
    WRITE = "write"


_ALL_ACTIONS = frozenset(Action)
_ActionsOf = Callable[[str], frozenset[Action]]


@dataclass(frozen=True)
class _Grant:
    """What one binding or ACL entry gives to the public (or might give), and why."""

    actions: frozenset[Action]
    exposure: Exposure
    reason: str


@dataclass(frozen=True)
class _Resource:
    """A resource IAM checks a permission on; name None stands for some object, unnamed."""

    name: str | None
    type: str
    where: str


@dataclass(frozen=True)
class _Request:
    """What IAM conditions are judged for: the bucket, or one object's download, at a moment."""

    bucket: str
    now: datetime
    key: str | None = None

    def asks(self, actions: frozenset[Action]) -> frozenset[Action]:
        """The actions this request is about: all of them, or only the object's download."""
        return actions if self.key is None else actions & {Action.READ}

    def resources(self, actions: frozenset[Action]) -> list[tuple[frozenset[Action], _Resource]]:
        """The actions grouped by the resource IAM checks them on: the bucket or the object(s)."""
        bucket = _Resource(bucket_resource(self.bucket), BUCKET, "the bucket")
        objects = _Resource(None, OBJECT, "every object")
        if self.key is not None:
            objects = _Resource(object_resource(self.bucket, self.key), OBJECT, "this object")
        on_bucket = actions & {Action.LIST}
        groups = [(on_bucket, bucket), (actions - on_bucket, objects)]
        return [(held, resource) for held, resource in groups if held]


def evaluate_bucket(bucket: Bucket, now: datetime | None = None) -> BucketAccess:
    """Judge a bucket's read/list/write exposure from its IAM policy, ACLs and prevention."""
    facts = bucket.facts
    if not isinstance(facts, GcsBucketFacts):
        reason = f"not GCS facts: {type(facts).__name__}"
        return BucketAccess(Exposure.UNKNOWN, Exposure.UNKNOWN, Exposure.UNKNOWN, (reason,))
    request = _Request(bucket.name, now or datetime.now(UTC))
    iam_grants, iam_notes = _iam_grants(facts, request)
    acl_grants, acl_notes = _bucket_acl_grants(facts)
    grants = [
        grant for grant in (*iam_grants, *acl_grants) if grant.exposure is not Exposure.PRIVATE
    ]
    notes = [*iam_notes, *acl_notes]
    blocked, prevention = _prevention(facts)
    if blocked:
        reasons = [prevention, *(f"blocked: {grant.reason}" for grant in grants), *notes]
        private = Exposure.PRIVATE
        return BucketAccess(private, private, private, tuple(reasons))
    if not grants:
        notes.insert(0, "no IAM binding or ACL entry grants allUsers or allAuthenticatedUsers")
        return BucketAccess(Exposure.PRIVATE, Exposure.PRIVATE, Exposure.PRIVATE, tuple(notes))
    return BucketAccess(
        read=_widest_for(grants, Action.READ),
        list=_widest_for(grants, Action.LIST),
        write=_widest_for(grants, Action.WRITE),
        reasons=(*(grant.reason for grant in grants), prevention, *notes),
    )


def needs_object_acl(bucket: Bucket) -> bool:
    """True when object ACLs can matter: maybe fine-grained, and prevention does not block."""
    facts = bucket.facts
    if not isinstance(facts, GcsBucketFacts):
        return False
    return facts.uniform_access is not True and not _prevention(facts)[0]


def evaluate_object(bucket: Bucket, obj: StoredObject, now: datetime | None = None) -> ObjectAccess:
    """Judge whether one object can be downloaded: bucket IAM, then its own ACL if fine-grained."""
    facts = bucket.facts
    if not isinstance(facts, GcsBucketFacts):
        return ObjectAccess(Exposure.UNKNOWN, (f"not GCS facts: {type(facts).__name__}",))
    blocked, prevention = _prevention(facts)
    if blocked:
        return ObjectAccess(Exposure.PRIVATE, (prevention,))
    request = _Request(bucket.name, now or datetime.now(UTC), obj.key)
    iam_grants, notes = _iam_grants(facts, request)
    grants = [grant for grant in iam_grants if Action.READ in grant.actions]
    if facts.uniform_access is not True:
        grants.extend(_object_acl_grants(facts, obj))
    grants = [grant for grant in grants if grant.exposure is not Exposure.PRIVATE]
    if not grants:
        return ObjectAccess(
            Exposure.PRIVATE, ("no binding or ACL lets the public download it", *notes)
        )
    reasons = (*(grant.reason for grant in grants), prevention, *notes)
    return ObjectAccess(_widest_for(grants, Action.READ), reasons)


EVALUATOR = Evaluator(
    bucket=evaluate_bucket, needs_object_facts=needs_object_acl, obj=evaluate_object
)


def _widest_for(grants: list[_Grant], action: Action) -> Exposure:
    return widest(*(grant.exposure for grant in grants if action in grant.actions))


def _why(unreadable: tuple[Unreadable, ...], fact: str) -> str:
    """The recorded reason a fact is missing, or a plain 'not read'."""
    return next((item.reason for item in unreadable if item.fact == fact), "not read")


def _actions(permissions: frozenset[str]) -> frozenset[Action]:
    actions = set()
    if OBJECTS_GET in permissions:
        actions.add(Action.READ)
    if OBJECTS_LIST in permissions:
        actions.add(Action.LIST)
    if permissions & WRITE_PERMISSIONS:
        actions.add(Action.WRITE)
    return frozenset(actions)


def _named(actions: frozenset[Action]) -> str:
    return ", ".join(action.value for action in Action if action in actions)


def _prevention(facts: GcsBucketFacts) -> tuple[bool, str]:
    """Whether public access prevention blocks every public member, with the reason."""
    setting = facts.public_access_prevention
    if setting == "enforced":
        return (
            True,
            "public access prevention is enforced on the bucket: public members are blocked",
        )
    if facts.org_enforces_prevention is True:
        return True, (
            "the organisation policy storage.publicAccessPrevention is enforced: "
            "public members are blocked"
        )
    if setting is None:
        why = _why(facts.unreadable, "public_access_prevention")
        return False, (
            f"public access prevention setting not read ({why}): "
            "prevention could not be ruled out, public grants count as public"
        )
    if setting not in _NOT_PREVENTED:
        return False, f"unrecognised public access prevention {setting!r}: treated as not enforced"
    if facts.org_enforces_prevention is False:
        return False, (
            f"public access prevention is {setting!r}; the organisation policy does not enforce it"
        )
    why = _why(facts.unreadable, "org_public_access_prevention")
    return False, (
        f"public access prevention is {setting!r} and the organisation policy could not be read "
        f"({why}): prevention could not be ruled out, public grants count as public"
    )


def _iam_grants(facts: GcsBucketFacts, request: _Request) -> tuple[list[_Grant], list[str]]:
    """Grants of IAM bindings to public members, and notes on bindings that grant nothing."""
    if facts.iam_bindings is None:
        why = _why(facts.unreadable, "iam_policy")
        reason = f"IAM policy not read ({why}): a public binding cannot be ruled out"
        return [_Grant(_ALL_ACTIONS, Exposure.UNKNOWN, reason)], []
    custom = dict(facts.custom_role_permissions)
    grants: list[_Grant] = []
    notes: list[str] = []
    for binding in facts.iam_bindings:
        for member in binding.members:
            exposure = PUBLIC_MEMBERS.get(member)
            if exposure is not None:
                _judge_binding(binding, member, exposure, custom, request, grants, notes)
    return grants, notes


def _judge_binding(
    binding: IamBinding,
    member: str,
    exposure: Exposure,
    custom: dict[str, tuple[str, ...]],
    request: _Request,
    grants: list[_Grant],
    notes: list[str],
) -> None:
    """Add what one public member's binding grants to `grants`, or explain why it grants nothing."""
    label = f"IAM: {member} has {binding.role}"
    permissions = role_permissions(binding.role, custom)
    actions = _ALL_ACTIONS if permissions is None else _actions(permissions)
    if not actions:
        notes.append(f"{label}, which grants no object access")
        return
    if permissions is None:
        kind = "a custom role" if is_custom_role(binding.role) else "an unrecognised role"
        label += f", {kind} whose permissions were not read"
        exposure = Exposure.UNKNOWN
    known, asked = permissions is not None, request.asks(actions)
    expression = binding.condition_expression
    if not expression:
        if asked:
            grants.append(_Grant(asked, exposure, _said(label, asked, binding.role, known)))
        return
    condition = f"{binding.condition_title or 'untitled'}: {expression}"
    for held, resource in request.resources(asked):
        said = _said(label, held, binding.role, known)
        holds = judge(expression, resource.name, resource.type, request.now)
        if holds is False:
            notes.append(
                f"{said}: condition ({condition}) is false for {resource.where}, "
                "so it grants nothing there"
            )
        else:
            outcome = _outcome(holds, resource, expression)
            grants.append(_Grant(held, exposure, f"{said}; conditional ({condition}){outcome}"))


def _said(label: str, actions: frozenset[Action], role: str, known: bool) -> str:
    """A binding's grant in words; not `known` when the role's permissions were not read."""
    if not known:
        return f"{label}: exposure unknown"
    said = f"{label} ({_named(actions)})"
    if role in BASIC_ROLES:
        said += "; GCS normally refuses basic roles for public members"
    return said


def _outcome(holds: bool | None, resource: _Resource, expression: str) -> str:
    """How a condition that is not known to be false applies to a resource, in words."""
    if holds:
        return f", which holds for {resource.where}"
    if resource.name is None and modelled(expression):
        return ", which holds for some objects only: each object is judged by its name"
    return f" could not be evaluated for {resource.where}: counted as possibly public"


def _bucket_acl_grants(facts: GcsBucketFacts) -> tuple[list[_Grant], list[str]]:
    """Grants of the bucket ACL and default object ACL, which only count when fine-grained."""
    if facts.uniform_access is True:
        return [], ["uniform bucket-level access is on: bucket and object ACLs are void"]
    notes = ["access is fine-grained: each object's ACL is judged per object"]
    if facts.uniform_access is None:
        why = _why(facts.unreadable, "uniform_access")
        notes = [f"uniform bucket-level access not read ({why}): ACLs may apply"]
    grants: list[_Grant] = []
    if facts.bucket_acl is None:
        why = _why(facts.unreadable, "bucket_acl")
        reason = f"bucket ACL not read ({why}): a public entry cannot be ruled out"
        grants.append(_Grant(frozenset({Action.LIST, Action.WRITE}), Exposure.UNKNOWN, reason))
    else:
        grants.extend(_acl_grants(facts.bucket_acl, "bucket ACL", _bucket_acl_actions))
    if facts.default_object_acl is None:
        why = _why(facts.unreadable, "default_object_acl")
        notes.append(f"default object ACL not read ({why})")
    else:
        grants.extend(
            _acl_grants(facts.default_object_acl, "default object ACL (new objects)", _object_read)
        )
    return grants, notes


def _object_acl_grants(facts: GcsBucketFacts, obj: StoredObject) -> list[_Grant]:
    """Grants of the object's own ACL; unknown when it was not read."""
    object_facts = obj.facts if isinstance(obj.facts, GcsObjectFacts) else None
    if object_facts is not None and object_facts.acl is not None:
        return _acl_grants(object_facts.acl, "object ACL", _object_read)
    why = _why(object_facts.unreadable, "object_acl") if object_facts else "not read"
    reason = f"object ACL not read ({why}): a public entry cannot be ruled out"
    if facts.uniform_access is None:
        reason += " (uniform bucket-level access unknown)"
    return [_Grant(frozenset({Action.READ}), Exposure.UNKNOWN, reason)]


def _bucket_acl_actions(role: str) -> frozenset[Action]:
    actions = {Action.LIST} if role in _READ_ROLES | _WRITE_ROLES else set()
    if role in _WRITE_ROLES:
        actions.add(Action.WRITE)
    return frozenset(actions)


def _object_read(role: str) -> frozenset[Action]:
    return frozenset({Action.READ}) if role in _READ_ROLES else frozenset()


def _acl_grants(
    entries: tuple[GcsAclEntry, ...], source: str, actions_of: _ActionsOf
) -> list[_Grant]:
    grants = []
    for entry in entries:
        exposure = PUBLIC_MEMBERS.get(entry.entity)
        actions = actions_of(entry.role)
        if exposure is not None and actions:
            reason = f"{source}: {entry.entity} is {entry.role} ({_named(actions)})"
            grants.append(_Grant(actions, exposure, reason))
    return grants
