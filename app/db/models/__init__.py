"""The mapped classes, one module per part of the clerk's work: register (persons, households, villages,
status changes, settings, the audit log), subsidies (policies, applications, payments), overpayments,
relief (the one-off help ledger), visits (festival campaigns and their lines), devices (catalogue, stock,
receipts). Import them from here: `from app.db.models import Person`."""

from app.db.models.base import Base, now
from app.db.models.county import (
    CountyCheck,
    CountyHousehold,
    CountyPackage,
    CountyPayment,
    CountyPerson,
    CountyRecord,
    CountyStatusChange,
    CountyTown,
)
from app.db.models.devices import DeviceReceipt, DeviceType, StockMovement
from app.db.models.overpayments import Overpayment, OverpaymentEntry
from app.db.models.register import AuditEntry, Clerk, Household, Person, Setting, StatusChange, Village, VillageGroup
from app.db.models.relief import ReliefEntry
from app.db.models.subsidies import ApplicationStep, PolicyVersion, SubsidyApplication, SubsidyPayment
from app.db.models.visits import VisitCampaign, VisitLine

__all__ = [
    "ApplicationStep", "AuditEntry", "Base", "Clerk", "CountyCheck", "CountyHousehold", "CountyPackage",
    "CountyPayment", "CountyPerson", "CountyRecord", "CountyStatusChange", "CountyTown", "DeviceReceipt", "DeviceType",
    "Household", "Overpayment", "OverpaymentEntry", "Person", "PolicyVersion", "ReliefEntry", "Setting",
    "StatusChange", "StockMovement", "SubsidyApplication", "SubsidyPayment", "Village", "VillageGroup",
    "VisitCampaign", "VisitLine", "now",
]
