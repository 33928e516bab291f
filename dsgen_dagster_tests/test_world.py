"""A world that fits: a foreign policy with no catalogue gets offerings and words of its own domain.

The gym and water fixtures (fixtures/domains/) were written for this test, unlike the shipped
policy: a setext document with bold definitions, and a `§`-numbered one with a quoted glossary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dsgen_dagster.defs import all_assets, all_checks
from dsgen_dagster.defs.entities.offerings import LLM_SOURCE, world_catalogue
from dsgen_dagster.lib.domain import SHIPPED_POLICY_PATH, load_domain
from dsgen_dagster.lib.offering import offering_kind
from dsgen_dagster.llm.providers.offline.phrasebook import words
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.storage.warehouse import Warehouse
from dsgen_dagster_tests.conftest import offline_resources
from dsgen_dagster_tests.fake_model import SlippingModel
from dsgen_dagster_tests.fake_openai_server import FakeOpenAIServer

FIXTURES = Path(__file__).parent / "fixtures"
API_KEY = "sk-test-WORLD-0b1c2d3e"
GYM = FIXTURES / "domains" / "gym" / "policy.md"
WATER = FIXTURES / "domains" / "water" / "policy.md"
AIRLINE = FIXTURES / "policies" / "heldout" / "airline.md"
TELECOM = FIXTURES / "policies" / "tuned" / "telecom.md"
# Words only a shop's ticket has, in every language the phrase files have.
RETAIL_WORDS = re.compile(
    r"\b(orders?|ordered|purchases?|purchased|shop|deliver(?:y|ed)|parcel|shipping|shipped|"
    r"warehouse|checkout|courier|transit|voltora|"
    r"bestellung|bestellnummer|bestellt|paket|lieferung|geliefert|versand|onlineshop|"
    r"commande|colis|livraison|livrée?|boutique|"
    r"pedido|paquete|envío|entrega|entregó|tienda)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    ("policy", "kind"),
    [
        (GYM, "membership"),
        (WATER, "account"),
        (AIRLINE, "booking"),
        (TELECOM, "contract"),
        (SHIPPED_POLICY_PATH, "retail"),
    ],
)
def test_the_offering_kind_is_read_from_the_policy(policy: Path, kind: str) -> None:
    assert offering_kind(policy.read_text(encoding="utf-8")) == kind
    assert load_domain(policy).company.offering == kind


def test_a_derived_catalogue_names_what_the_policy_sells_not_its_sections() -> None:
    gym = load_domain(GYM)
    offers = {name: line for line in gym.catalogue.lines for name in line.names}
    assert set(offers) == {
        "Anytime Membership", "Off-Peak Membership", "Day Pass", "Personal Training",
    }  # fmt: skip  # the defined terms; "Joining Fee" and "Home Club" are not sold
    assert offers["Day Pass"].price_range == (8.0, 8.0)  # "at £8" beside the term
    assert offers["Anytime Membership"].category == "membership"
    assert offers["Anytime Membership"].contract_months == 12
    assert gym.company.currency == "GBP"
    sections = {title.lower() for title in gym.sections}
    assert not sections & {name.lower() for name in offers}
    assert not sections & set(gym.catalogue.categories)
    # a section naming memberships gets membership tickets
    assert gym.scenarios.types["joining_and_minimum_term"].categories == ("membership",)

    water = load_domain(WATER)
    names = {name for line in water.catalogue.lines for name in line.names}
    assert names == {"Standard Tariff", "Metered Tariff", "Social Tariff"}
    assert "billing period" not in {n.lower() for n in names}  # a period is not sold

    airline = load_domain(AIRLINE)  # no definitions: the fares it names, plus usual ones
    fares = {name for line in airline.catalogue.lines for name in line.names}
    assert "Promotional Fare" in fares and len(fares) >= 3


def test_a_gym_without_a_catalogue_makes_a_whole_batch_in_its_own_words(tmp_path: Path) -> None:
    database = tmp_path / "dsgen.duckdb"
    result = dg.materialize(
        [*all_assets(), *all_checks()],
        resources=offline_resources(
            database, DSGEN_POLICY_PATH=str(GYM), DSGEN_TICKETS_PER_BATCH="40"
        ),
        partition_key="2026-03-01",
        raise_on_error=False,
    )
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert evaluations and all(e.passed for e in evaluations if e.blocking)
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute(
            "SELECT t.language, t.order_reference, e.subject, e.body, a.body, t.summary, "
            "t.desired_outcome FROM emails e JOIN answers a USING (ticket_id) "
            "JOIN topics t USING (ticket_id)"
        ).fetchall()
        extra = connection.execute(
            "SELECT r.subject || ' ' || r.body FROM rephrasings r UNION ALL "
            "SELECT x.subject || ' ' || x.body || ' ' || x.answer "
            "FROM translations x"
        ).fetchall()
        products = {
            n for (n,) in connection.execute("SELECT DISTINCT name FROM products").fetchall()
        }
    assert len(rows) == 40
    texts = [" ".join(row[2:]) for row in rows] + [text for (text,) in extra]
    retail = [match.group(0) for text in texts for match in RETAIL_WORDS.finditer(text)]
    assert retail == []
    assert sum("Ironclad Fitness" in text for text in texts) >= 20
    assert products <= {
        "Ironclad Anytime Membership", "Ironclad Off-Peak Membership", "Ironclad Day Pass",
        "Ironclad Personal Training",
    }  # fmt: skip
    with_reference = [row for row in rows if row[1] and row[1] in row[2]]
    assert with_reference  # some subjects quote the reference ...
    for language, reference, subject, *_ in with_reference:  # ... always as a membership's
        noun = words(language)["offerings"]["membership"]["ref_noun"]
        assert f"{noun} {reference}" in subject, subject
    bodies = [row[3] for row in rows if row[0] == "en" and row[1]]
    assert any("membership number" in body for body in bodies)


# --- the LLM-made catalogue, against the local OpenAI-compatible server ----------------------


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    fake = FakeOpenAIServer(api_key=API_KEY).start()
    yield fake
    fake.stop()


def openai_llm(server: FakeOpenAIServer, database: Path) -> LLMResource:
    return LLMResource(
        provider="openai",
        base_url=server.url,
        api_key=API_KEY,
        model_strong="gpt-4o",
        warehouse=Warehouse(database=str(database)),
    )


def test_the_model_makes_the_catalogue_and_a_slip_is_re_asked(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    server.handler = SlippingModel(1.0, rules=("duplicate",), stubborn=0.0)  # once, then fixed
    database = tmp_path / "x.duckdb"
    gym = load_domain(GYM)
    catalogue, meta = world_catalogue(gym, openai_llm(server, database), "2026-03-01")

    assert meta["catalogue_source"] == catalogue.source == LLM_SOURCE
    names = [name for line in catalogue.lines for name in line.names]
    assert len(names) == len(set(names)) >= 4
    assert set(catalogue.categories) <= set(gym.catalogue.categories)
    assert all(line.price_range[0] > 0 for line in catalogue.lines)
    assert server.reasks and "catalogue_unique_names" in server.reasks[0]["content"]
    calls = server.count()
    with duckdb.connect(str(database), read_only=True) as connection:
        ledger = connection.execute(
            "SELECT stage, request_key, partition_key FROM llm_calls"
        ).fetchall()
    assert ledger == [("catalogue", "Ironclad Fitness", "2026-03-01")]
    # the same batch again: answered from the cache, not asked again
    again, meta = world_catalogue(gym, openai_llm(server, database), "2026-03-01")
    assert server.count() == calls and meta["catalogue_cached"] == 1
    assert [n for line in again.lines for n in line.names] == names


def test_a_catalogue_that_keeps_breaking_a_rule_leaves_the_derived_one(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    server.handler = SlippingModel(1.0, rules=("category",), stubborn=1.0)  # every attempt
    gym = load_domain(GYM)
    catalogue, meta = world_catalogue(gym, openai_llm(server, tmp_path / "x.duckdb"), "2026-03-01")

    assert catalogue is gym.catalogue and meta["catalogue_source"] == "derived from the policy"
    assert "catalogue_categories" in meta["catalogue_fallback"]
    assert "gadgets" in meta["catalogue_fallback"]
    assert server.count() == 3  # the first answer and max_reasks=2 re-asks


def test_with_a_catalogue_file_or_offline_no_catalogue_is_asked(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    shipped = load_domain(SHIPPED_POLICY_PATH)
    catalogue, meta = world_catalogue(shipped, openai_llm(server, tmp_path / "x.duckdb"), "k")
    assert catalogue is shipped.catalogue and meta == {"catalogue_source": "shipped"}
    gym = load_domain(GYM)
    offline = LLMResource(warehouse=Warehouse(database=str(tmp_path / "y.duckdb")))
    assert world_catalogue(gym, offline, "k")[0] is gym.catalogue
    assert server.count() == 0


def test_the_products_of_a_gym_batch_come_from_the_models_catalogue(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dsgen_dagster.defs.entities.assets import entities
    from dsgen_dagster.resources import resources_from_env

    server.handler = SlippingModel(0.0)
    monkeypatch.setenv("OPENAI_API_KEY", API_KEY)
    database = tmp_path / "dsgen.duckdb"
    env = {
        "DSGEN_DB": str(database),
        "DSGEN_POLICY_PATH": str(GYM),
        "DSGEN_TICKETS_PER_BATCH": "12",
        "DSGEN_LLM_PROVIDER": "openai",
        "OPENAI_BASE_URL": server.url,
        "OPENAI_API_KEY": API_KEY,
        "DSGEN_MODEL_STRONG": "gpt-4o",
    }
    result = dg.materialize(
        [entities], resources=resources_from_env(env), partition_key="2026-03-01"
    )
    metadata = result.asset_materializations_for_node("entities")
    products_meta = next(m.metadata for m in metadata if m.asset_key.path[-1] == "products")
    assert products_meta["catalogue_source"].value == LLM_SOURCE
    with duckdb.connect(str(database), read_only=True) as connection:
        names = {n for (n,) in connection.execute("SELECT name FROM staging.products").fetchall()}
    # the fake model names offerings "<Category> <Tier>" in the derived categories
    assert names and all(
        name.split()[0].lower() in {"membership", "pass", "training"} for name in names
    ), names
