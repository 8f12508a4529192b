"""S3 API responses turned into fact records, and SDK errors turned into Unreadable entries."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

from bucketscan.providers.breaker import EndpointUnreachableError
from bucketscan.records.common import Tags, tag_pairs
from bucketscan.records.s3 import (
    BlockPublicAccess,
    NetworkOrigin,
    S3AccessPoint,
    S3Grant,
    S3Grantee,
)
from bucketscan.records.unreadable import Unreadable

T = TypeVar("T")
# What an S3 call can fail with: an error answer, an SDK failure, or a call the breaker refused.
AWS_FAILURES = (ClientError, BotoCoreError, EndpointUnreachableError)
# What an endpoint without an API answers (an S3-compatible server, a partition without it): the
# feature, and so anything it could expose, does not exist there.
UNSUPPORTED = (
    "NotImplemented",
    "NotImplementedException",
    "UnsupportedOperation",
    "MethodNotAllowed",
)
# CheckNoPublicAccess errors about one policy or one moment: the next bucket's check may pass.
_ANALYZER_PER_CALL = (
    "ThrottlingException",
    "ValidationException",
    "InvalidParameterException",
    "UnprocessableEntityException",
    "InternalServerException",
)
_GROUPS = {
    "http://acs.amazonaws.com/groups/global/AllUsers": S3Grantee.ALL_USERS,
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": S3Grantee.AUTHENTICATED_USERS,
    "http://acs.amazonaws.com/groups/s3/LogDelivery": S3Grantee.LOG_DELIVERY,
}


def error_text(error: Exception) -> str:
    """'<ErrorCode>: message' for a ClientError, '<ExceptionName>: message' otherwise."""
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code = details.get("Code") or "ClientError"
        message = details.get("Message") or str(error)
        return f"{code}: {message}"
    return f"{type(error).__name__}: {error}"


def error_code(error: Exception) -> str | None:
    """The error code of a ClientError, None otherwise."""
    if isinstance(error, ClientError):
        return error.response.get("Error", {}).get("Code")
    return None


def gather(
    fact: str, call: Callable[[], T], absent: tuple[str, ...], default: T
) -> tuple[T, Unreadable | None]:
    """Run one call; an `absent` error code gives `default`, any other failure an Unreadable."""
    try:
        return call(), None
    except AWS_FAILURES as error:
        if error_code(error) in absent:
            return default, None
        return default, Unreadable(fact, error_text(error))


def grants(response: Mapping[str, Any]) -> tuple[S3Grant, ...]:
    """The grants of a GetBucketAcl/GetObjectAcl response."""
    result = []
    for grant in response.get("Grants", ()):
        grantee = grant.get("Grantee", {})
        kind = grantee.get("Type")
        permission = str(grant.get("Permission", ""))
        if kind == "Group":
            uri = str(grantee.get("URI", ""))
            result.append(S3Grant(_GROUPS.get(uri, S3Grantee.OTHER_GROUP), uri, permission))
        elif kind == "AmazonCustomerByEmail":
            result.append(S3Grant(S3Grantee.EMAIL, str(grantee.get("EmailAddress")), permission))
        else:
            result.append(S3Grant(S3Grantee.CANONICAL_USER, str(grantee.get("ID")), permission))
    return tuple(result)


def block_settings(response: Mapping[str, Any]) -> BlockPublicAccess:
    """The four flags of a GetPublicAccessBlock or GetAccessPoint response (missing: off)."""
    return block_flags(response.get("PublicAccessBlockConfiguration", {}))


def block_flags(config: Mapping[str, Any]) -> BlockPublicAccess:
    """The four flags of a PublicAccessBlockConfiguration (missing flags are off)."""
    return BlockPublicAccess(
        block_public_acls=bool(config.get("BlockPublicAcls", False)),
        ignore_public_acls=bool(config.get("IgnorePublicAcls", False)),
        block_public_policy=bool(config.get("BlockPublicPolicy", False)),
        restrict_public_buckets=bool(config.get("RestrictPublicBuckets", False)),
    )


def ownership(response: Mapping[str, Any]) -> str | None:
    """The ObjectOwnership rule of a GetBucketOwnershipControls response."""
    rules = response.get("OwnershipControls", {}).get("Rules", ())
    return str(rules[0]["ObjectOwnership"]) if rules else None


def tag_set(response: Mapping[str, Any]) -> Tags:
    """The tags of a GetBucketTagging response, sorted by key."""
    return tag_pairs({tag["Key"]: tag.get("Value", "") for tag in response.get("TagSet", ())})


def region_of(response: Mapping[str, Any]) -> str:
    """The region of a GetBucketLocation response (None is us-east-1, EU is eu-west-1)."""
    location = response.get("LocationConstraint")
    if not location:
        return "us-east-1"
    return "eu-west-1" if location == "EU" else str(location)


def network_origin(value: Any) -> NetworkOrigin | None:
    """The NetworkOrigin of an access point ("Internet" or "VPC"), None when absent or unknown."""
    text = str(value or "").casefold()
    return next((origin for origin in NetworkOrigin if origin.value.casefold() == text), None)


def access_point_entry(
    entry: Mapping[str, Any], account: str, region: str
) -> tuple[str, S3AccessPoint]:
    """(bucket name, the access point as listed) from one ListAccessPoints entry."""
    name = str(entry["Name"])
    arn = entry.get("AccessPointArn") or f"arn:aws:s3:{region}:{account}:accesspoint/{name}"
    vpc = entry.get("VpcConfiguration") or {}
    point = S3AccessPoint(
        name=name,
        arn=str(arn),
        network_origin=network_origin(entry.get("NetworkOrigin")),
        vpc_id=str(vpc["VpcId"]) if vpc.get("VpcId") else None,
    )
    return str(entry.get("Bucket", "")), point


def multi_region_entries(
    entry: Mapping[str, Any], account: str
) -> tuple[tuple[str, S3AccessPoint], ...]:
    """(bucket name, the Multi-Region Access Point as listed) for each bucket it fronts."""
    name = str(entry["Name"])
    alias = str(entry.get("Alias") or name)
    point = S3AccessPoint(
        name=name,
        arn=f"arn:aws:s3::{account}:accesspoint/{alias}",
        network_origin=NetworkOrigin.INTERNET,  # no VPC origin exists for them
        block=block_flags(entry.get("PublicAccessBlock") or {}),
        multi_region=True,
    )
    regions = entry.get("Regions") or ()
    return tuple((str(region["Bucket"]), point) for region in regions if region.get("Bucket"))


def analyzer_result(response: Mapping[str, Any]) -> tuple[bool | None, str | None, tuple[str, ...]]:
    """(no public access, problem, its reasons' short text) of a CheckNoPublicAccess response."""
    result = response.get("result")
    if result == "PASS":
        return True, None, ()
    if result != "FAIL":
        return None, f"unexpected result {result!r}", ()
    reasons = []
    for reason in response.get("reasons") or ():
        sid, index = reason.get("statementId"), reason.get("statementIndex")
        # The index is shown as given: the API does not say whether it counts from 0 or 1.
        where = f"statement '{sid}'" if sid else ""
        if not sid and index is not None:
            where = f"statement index {index}"
        text = " ".join(str(reason.get("description") or "").split())
        reasons.append(f"{where}: {text}" if where and text else where or text)
    return False, None, tuple(reason for reason in reasons if reason)


def analyzer_gone(error: Exception) -> bool:
    """Whether a CheckNoPublicAccess failure means the service will not answer this account
    (denied, unknown credentials, no such endpoint or operation), not just this one call."""
    return error_code(error) not in _ANALYZER_PER_CALL
