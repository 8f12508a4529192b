"""The explicit list of content detectors, in no particular priority (the best evidence wins)."""

from __future__ import annotations

from bucketscan.policies.detectors.base import Detector
from bucketscan.policies.detectors.drivers_license_jp import DRIVERS_LICENSE_JP
from bucketscan.policies.detectors.drivers_license_us import DRIVERS_LICENSE_US
from bucketscan.policies.detectors.family import FamilyDetector
from bucketscan.policies.detectors.foreign_ids import AADHAAR, CN_RIC, KR_RRN, NRIC, SSN
from bucketscan.policies.detectors.health_insurance import HEALTH_INSURANCE
from bucketscan.policies.detectors.id_cards import ID_CARD
from bucketscan.policies.detectors.mrz import MrzDetector
from bucketscan.policies.detectors.my_number import MY_NUMBER
from bucketscan.policies.detectors.residence_card import RESIDENCE_CARD
from bucketscan.policies.detectors.resume import ResumeDetector

# Ties between equally supported evidence go to the detector listed first.
DETECTORS: tuple[Detector, ...] = (
    FamilyDetector(MY_NUMBER),
    FamilyDetector(DRIVERS_LICENSE_JP),
    MrzDetector(),
    FamilyDetector(RESIDENCE_CARD),
    FamilyDetector(HEALTH_INSURANCE),
    FamilyDetector(DRIVERS_LICENSE_US),
    FamilyDetector(AADHAAR),
    FamilyDetector(NRIC),
    FamilyDetector(SSN),
    FamilyDetector(CN_RIC),
    FamilyDetector(KR_RRN),
    FamilyDetector(ID_CARD),
    ResumeDetector(),
)
