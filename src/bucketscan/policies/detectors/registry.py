"""The explicit list of content detectors, in no particular priority (the best evidence wins)."""

from __future__ import annotations

from bucketscan.policies.detectors import health_insurance, residence_card
from bucketscan.policies.detectors.base import Detector
from bucketscan.policies.detectors.drivers_license_jp import DriversLicenseJpDetector
from bucketscan.policies.detectors.foreign_ids import ForeignIdDetector, UsDriversLicenseDetector
from bucketscan.policies.detectors.mrz import MrzDetector
from bucketscan.policies.detectors.my_number import MyNumberDetector
from bucketscan.policies.detectors.resume import ResumeDetector

DETECTORS: tuple[Detector, ...] = (
    MyNumberDetector(),
    DriversLicenseJpDetector(),
    MrzDetector(),
    residence_card.DETECTOR,
    health_insurance.DETECTOR,
    UsDriversLicenseDetector(),
    ForeignIdDetector(),
    ResumeDetector(),
)
