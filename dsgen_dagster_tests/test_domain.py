"""Bring your own policy: a foreign domain's batch, its company profile, and bad domain files."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dsgen_dagster.defs import all_assets, all_checks
from dsgen_dagster.errors import ConfigError
from dsgen_dagster.lib.domain import company_name, currency_of, load_domain
from dsgen_dagster.settings import batch_settings_from_env
from dsgen_dagster_tests.conftest import offline_resources

FIXTURES = Path(__file__).parent / "fixtures"
TELECOM_POLICY = FIXTURES / "policies" / "tuned" / "telecom.md"
TELECOM = FIXTURES / "domains" / "telecom"
TELECOM_ENV = {
    "DSGEN_POLICY_PATH": str(TELECOM_POLICY),
    "DSGEN_CATALOGUE": str(TELECOM / "catalogue.yaml"),
    "DSGEN_SCENARIOS": str(TELECOM / "scenarios.yaml"),
    "DSGEN_TICKETS_PER_BATCH": "40",
}


def test_a_telecom_policy_makes_a_whole_batch_in_its_own_domain(tmp_path: Path) -> None:
    database = tmp_path / "dsgen.duckdb"
    result = dg.materialize(
        [*all_assets(), *all_checks()],
        resources=offline_resources(database, **TELECOM_ENV),
        partition_key="2026-03-01",
        raise_on_error=False,
    )
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert evaluations and all(e.passed for e in evaluations if e.blocking)
    assert "topics_evidence" in {e.check_name for e in evaluations}
    with duckdb.connect(str(database), read_only=True) as connection:

        def rows(sql: str) -> list[tuple]:
            return connection.execute(sql).fetchall()

        texts = rows(
            "SELECT e.subject || e.body || a.body || t.summary FROM emails e "
            "JOIN answers a USING (ticket_id) JOIN topics t USING (ticket_id)"
        )
        assert len(texts) == 40
        assert not [text for (text,) in texts if "voltora" in text.lower()]
        assert sum("Nordlink Mobile" in text for (text,) in texts) >= 20
        types = {t for (t,) in rows("SELECT DISTINCT ticket_type FROM topics")}
        assert types <= {
            "contract_cancellation", "billing_dispute", "roaming_charges", "network_outage",
            "complaint",
        }  # fmt: skip
        assert len(types) >= 4
        sections = rows(
            "SELECT count(DISTINCT p.section) FROM topics t, unnest(t.clause_ids) AS u(cid) "
            "JOIN policy_graph p ON p.clause_id = u.cid"
        )[0][0]
        assert sections >= 4  # cited clauses span the policy's sections
        categories = {c for (c,) in rows("SELECT DISTINCT category FROM products")}
        assert categories == {"mobile plan", "home internet", "roaming add-on", "device", "prepaid"}
        # a network outage is never about a prepaid starter or a roaming pass
        assert not rows(
            "SELECT 1 FROM topics t JOIN products p USING (product_id) "
            "WHERE t.ticket_type = 'network_outage' AND p.category NOT IN "
            "('mobile plan', 'home internet', 'device')"
        )
        assert {r for (r,) in rows("SELECT DISTINCT relation FROM topics")} - {"none"}
        assert rows("SELECT DISTINCT company, currency FROM policy_graph") == [
            ("Nordlink Mobile", "EUR")
        ]
        assert rows("SELECT DISTINCT quote_language FROM answers") == [("en",)]
        assert {lang for (lang,) in rows("SELECT DISTINCT language FROM customers")} <= {"en", "de"}


def test_the_company_and_its_currency_come_from_the_document() -> None:
    assert company_name("# Northwind Mobile — Customer Care Policy\n", "x") == "Northwind Mobile"
    assert company_name("Skylark Air — Conditions\n=====\n", "x") == "Skylark Air"
    assert company_name("# CloudDesk Subscription Terms\n", "x") == "CloudDesk"
    assert company_name("no title here\n", "Fallback") == "Fallback"
    assert currency_of("A fee of £5 and £10.") == "GBP"
    assert currency_of("costs $4.99") == "USD"
    assert currency_of("no amounts at all") == "EUR"
    telecom = load_domain(TELECOM_POLICY, "Acme Telco")
    assert telecom.company.name == "Acme Telco" and not telecom.company.shipped
    # no catalogue and no scenario table: a category and a ticket type per section
    assert set(telecom.scenarios.types) == {
        "contracts_and_cancellation", "billing", "network_and_service", "complaints",
    }  # fmt: skip
    assert "definitions" not in telecom.catalogue.categories


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("empty.csv", "name,category,price\n", r"empty.csv: the catalogue has no products; give"),
        (
            "noname.csv",
            "name,category,price\nPlan A,plan,10\n,plan,12\n",
            r"noname.csv:3: the product has no name; give every row a name",
        ),
        (
            "price.yaml",
            "- {name: Plan A, category: plan, price: 10}\n- {name: Plan B, category: plan, "
            "price: ten}\n",
            r"price.yaml:2: price 'ten' is not a number; write it as a plain number",
        ),
        (
            "column.csv",
            "name,category,price,colour\nPlan A,plan,10,red\n",
            r"column.csv:2: unknown column 'colour'; the columns are name, category, price",
        ),
        ("cat.txt", "name\n", r"cat.txt: unknown catalogue format '.txt'; name the file"),
    ],
)
def test_a_bad_catalogue_names_the_file_the_line_and_the_fix(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    env = {
        "DSGEN_POLICY_PATH": str(TELECOM_POLICY),
        "DSGEN_CATALOGUE": write(tmp_path / name, text),
    }
    with pytest.raises(ConfigError, match=expected):
        batch_settings_from_env(env)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ticket_types:\n  billing:\n    weight: 1\n    sections: [Billing]\n    colour: red\n",
            r"scenarios.yaml:5: unknown key 'colour' in ticket type 'billing'; the keys are",
        ),
        (
            "ticket_types:\n  billing:\n    weight: lots\n    sections: [Billing]\n",
            r"scenarios.yaml:3: weight 'lots' is not a number of 0 or more; write e.g. 0.25",
        ),
        (
            "ticket_types:\n  billing:\n    sections: [Roaming fees]\n",
            r"ticket type 'billing' names section 'Roaming fees', which the policy does not have",
        ),
        (
            "ticket_types:\n  billing:\n    sections: [Billing]\n    categories: [boats]\n",
            r"names product category 'boats', which the catalogue .* does not have; use one of",
        ),
        (
            "ticket_types:\n  billing:\n    sections: [Billing]\nlanguage: {en: 1, xx: 1}\n",
            r"scenarios.yaml:4: unknown key 'xx' in the weights \(en, de, fr, es\)",
        ),
        ("ticket_types: [\n", r"scenarios.yaml:2: not valid YAML"),
    ],
)
def test_a_bad_scenario_table_names_the_file_the_line_and_the_fix(
    tmp_path: Path, text: str, expected: str
) -> None:
    env = {
        "DSGEN_POLICY_PATH": str(TELECOM_POLICY),
        "DSGEN_CATALOGUE": str(TELECOM / "catalogue.yaml"),
        "DSGEN_SCENARIOS": write(tmp_path / "scenarios.yaml", text),
    }
    with pytest.raises(ConfigError, match=expected):
        batch_settings_from_env(env)


def test_a_bad_file_fails_before_any_work(tmp_path: Path) -> None:
    """The run fails when its resources are built: no step runs, nothing is written."""
    database = tmp_path / "dsgen.duckdb"
    bad = write(tmp_path / "bad.csv", "name,category,price\nPlan,plan,free\n")
    with pytest.raises(ConfigError, match="bad.csv:2: price 'free' is not a number"):
        offline_resources(database, **{**TELECOM_ENV, "DSGEN_CATALOGUE": bad})
    assert not database.exists()
