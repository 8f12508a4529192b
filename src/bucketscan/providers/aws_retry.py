"""One retry budget and one adaptive send rate shared by every AWS client of a scan.

botocore's standard and adaptive modes give each client its own quota and rate limiter, and its
quota refunds a retried call only its last retry's cost: at a 50% fault rate the quota drains
within a few hundred calls and every later fault fails its call at once. Here botocore's own
pieces (RetryHandler, StandardRetryConditions, ExponentialBackoff, RetryQuota, ClientRateLimiter)
are put together once per account and installed on each client, with two changes: a call the
service finally answers gives back everything its retries took (only calls that fail for good
drain the budget, so it still stops a retry storm against a failing endpoint), and each retry is
counted into the meter with its reason.

Example: ``AccountRetry(meter).install(client, "s3")`` on a client made with
``retries={"mode": "standard"}``.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import EndpointConnectionError, ReadTimeoutError
from botocore.retries import bucket, quota, standard, throttling
from botocore.retries.adaptive import ClientRateLimiter, RateClocker
from botocore.retries.base import BaseRetryableChecker

from bucketscan.metering import Meter, RetryReason

MAX_ATTEMPTS = 10  # attempts in all, the first included
QUOTA = 500
MAX_BACKOFF = 20.0
_SPENT = "bucketscan_retry_spent"
_NO_RETRY_INCREMENT = 1  # botocore's refund for a call answered without retries


class _RefundingQuota(standard.RetryQuotaChecker):
    """botocore's retry quota; a call the service answers (below 500, not 429) refunds it all."""

    def __init__(self, capacity: int, detector: standard.ThrottlingErrorDetector) -> None:
        self._pool = quota.RetryQuota(capacity)
        super().__init__(self._pool, detector)

    def acquire_retry_quota(self, context: standard.RetryContext) -> bool:
        """Take a retry's cost, remembering the call's total."""
        if not super().acquire_retry_quota(context):
            return False
        spent = context.request_context.get(_SPENT, 0)
        context.request_context[_SPENT] = spent + context.request_context["retry_quota_capacity"]
        return True

    def release_retry_quota(self, context: Any, http_response: Any, **kwargs: Any) -> None:
        """Give back what the call's retries took once the service has answered it."""
        if http_response is None:
            return
        status = int(http_response.status_code)
        if status >= 500 or status == 429:
            return
        self._pool.release(context.get(_SPENT, _NO_RETRY_INCREMENT))


class _Conditions(BaseRetryableChecker):
    """botocore's standard conditions, with fewer attempts for an endpoint that cannot be reached.

    A probe wants a dead endpoint to fail in seconds, yet a throttled or erroring one (it answered)
    to be retried as fully as any other call.
    """

    def __init__(self, max_attempts: int, connect_attempts: int | None) -> None:
        self._standard = standard.StandardRetryConditions(max_attempts=max_attempts)
        self._connect_attempts = connect_attempts

    def is_retryable(self, context: standard.RetryContext) -> bool:
        """Whether to send the request again."""
        unreachable = isinstance(context.caught_exception, EndpointConnectionError)
        if (
            unreachable
            and self._connect_attempts is not None
            and context.attempt_number >= self._connect_attempts
        ):
            return False
        return bool(self._standard.is_retryable(context))


class AccountRetry:
    """The retry budget, backoff and adaptive send rate of one account, for all its clients.

    `adaptive=False` keeps the budget and backoff without the send-rate limiter (standard mode).
    """

    def __init__(
        self,
        meter: Meter,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        quota_capacity: int = QUOTA,
        max_backoff: float = MAX_BACKOFF,
        adaptive: bool = True,
    ) -> None:
        self._meter = meter
        self._adaptive = adaptive
        self.max_attempts = max_attempts
        self._max_backoff = max_backoff
        self._adapter = standard.RetryEventAdapter()
        self._throttling = standard.ThrottlingErrorDetector(self._adapter)
        self._quota = _RefundingQuota(quota_capacity, self._throttling)
        clock = bucket.Clock()
        self._limiter = ClientRateLimiter(
            rate_adjustor=throttling.CubicCalculator(
                starting_max_rate=0, start_time=clock.current_time()
            ),
            rate_clocker=RateClocker(clock),
            token_bucket=bucket.TokenBucket(max_rate=1, clock=clock),
            throttling_detector=self._throttling,
            clock=clock,
        )

    def install(self, client: Any, service: str, *, connect_attempts: int | None = None) -> None:
        """Replace the client's own retry handler with this account's; count what it sends.

        The client's configured attempts (``Config(retries={"max_attempts": n})``) are kept.
        """
        event = client.meta.service_model.service_id.hyphenize()
        attempts = client.meta.config.retries.get("total_max_attempts") or self.max_attempts
        unique_id = f"retry-config-{event}"
        handler = standard.RetryHandler(
            retry_policy=standard.RetryPolicy(
                retry_checker=_Conditions(int(attempts), connect_attempts),
                retry_backoff=standard.ExponentialBackoff(
                    max_backoff=self._max_backoff,  # type: ignore[arg-type]
                    service_name=event,
                    throttling_detector=self._throttling,
                ),
            ),
            retry_event_adapter=self._adapter,
            retry_quota=self._quota,  # type: ignore[arg-type]  # the stubs name the wrong class
            service_name=event,
        )

        def needs_retry(**kwargs: Any) -> float | None:
            delay = handler.needs_retry(**kwargs)
            operation = kwargs["operation"].name
            if delay is not None:
                self._meter.retried(f"{service}.{operation}", self._reason(kwargs))
            elif self._failed(kwargs):
                self._meter.exhausted(self._reason(kwargs))
            return delay

        def before_send(event_name: str, **_: Any) -> None:
            self._meter.request(f"{service}.{event_name.rsplit('.', 1)[-1]}")

        events = client.meta.events
        events.unregister(f"needs-retry.{event}", unique_id=unique_id)
        events.register(f"needs-retry.{event}", needs_retry, unique_id=unique_id)
        events.register(f"after-call.{event}", self._quota.release_retry_quota)
        events.register("before-send", before_send)
        if self._adaptive:  # one send rate for the account, lowered by throttling answers
            events.register("before-send", self._limiter.on_sending_request)
            events.register("needs-retry", self._limiter.on_receiving_response)

    def _failed(self, kwargs: dict[str, Any]) -> bool:
        """Whether an attempt ended in a fault that a retry could have fixed."""
        if kwargs.get("caught_exception") is not None:
            return True
        response = kwargs.get("response")
        status = int(response[0].status_code) if response else 0
        return status >= 500 or status == 429 or self._throttling.is_throttling_error(**kwargs)

    def _reason(self, kwargs: dict[str, Any]) -> RetryReason:
        """Why an attempt failed."""
        error = kwargs.get("caught_exception")
        if error is not None:
            if isinstance(error, ReadTimeoutError) or "Timeout" in type(error).__name__:
                return RetryReason.TIMEOUT
            return RetryReason.CONNECTION
        if self._throttling.is_throttling_error(**kwargs):
            return RetryReason.THROTTLED
        response = kwargs.get("response")
        if response and int(response[0].status_code) >= 500:
            return RetryReason.SERVER_ERROR
        return RetryReason.OTHER
