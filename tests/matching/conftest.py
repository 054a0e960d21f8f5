"""Small synthetic voter files and contact books, trained once per test session."""

from __future__ import annotations

import pytest

from targetshare.matching.model import train_model
from targetshare.matching.synthetic import synthetic_contacts, synthetic_voters


@pytest.fixture(scope="session")
def voters():
    return synthetic_voters(6000, seed=3, birth_date_share=0.3, email_share=0.2)


@pytest.fixture(scope="session")
def book(voters):
    return synthetic_contacts(voters, 800, seed=4)


@pytest.fixture(scope="session")
def model(voters, book):
    contacts, _ = book
    return train_model(voters, contacts, voter_file_version="test-v1", u_max_pairs=2e5)
