"""Customers: a company with its declared legal representatives.

The schema (README, "Customer files"): JSON is a list of customer objects (or
``{"customers": [...]}``), each ``{"customer_ref", "company": {...}, "representatives":
[...]}``; CSV is flat, one row per representative, with the company's columns repeated.
Records are checked structurally (pydantic), then by a Great Expectations suite; a record
that fails is rejected with its reasons and the others are stored.
"""

from kyc.customers.files import read_customer_file
from kyc.customers.schema import (
    CSV_COMPANY_COLUMNS,
    CSV_REPRESENTATIVE_COLUMNS,
    CSV_REQUIRED_COLUMNS,
    AddressIn,
    CompanyIn,
    CustomerFileError,
    CustomerIn,
    ProxyIn,
    RawRecord,
    Rejection,
    RepresentativeIn,
    ValidationOutcome,
    ValidCustomer,
    ValidRepresentative,
)
from kyc.customers.validation import load_customer_records, validate_customers

__all__ = [
    "CSV_COMPANY_COLUMNS",
    "CSV_REPRESENTATIVE_COLUMNS",
    "CSV_REQUIRED_COLUMNS",
    "AddressIn",
    "CompanyIn",
    "CustomerFileError",
    "CustomerIn",
    "ProxyIn",
    "RawRecord",
    "Rejection",
    "RepresentativeIn",
    "ValidCustomer",
    "ValidRepresentative",
    "ValidationOutcome",
    "load_customer_records",
    "read_customer_file",
    "validate_customers",
]
