"""entities: the batch's customers, products and orders, with consistent keys."""

import dagster as dg
import polars as pl

from dsgen_dagster.defs.entities.models import Customer, Order, Product
from dsgen_dagster.defs.entities.offerings import world_catalogue
from dsgen_dagster.defs.entities.sampling import (
    sample_customers,
    sample_orders,
    sample_products,
    world_sizes,
)
from dsgen_dagster.lib.domain import Domain
from dsgen_dagster.lib.stage import code_version, timed_stage
from dsgen_dagster.llm.resource import LLMResource
from dsgen_dagster.partitions import daily_partitions
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.frames import frame_from_models
from dsgen_dagster.storage.warehouse import Warehouse

GROUP = "entities"


def brand(domain: Domain) -> str:
    """What branded product lines are prefixed with: the company's first word (Voltora)."""
    return domain.company.name.split()[0] if domain.company.name else ""


@dg.multi_asset(
    outs={
        name: dg.AssetOut(
            group_name=GROUP, kinds={"duckdb"}, code_version=code_version(), description=text
        )
        for name, text in {
            "customers": "Customers: tier, primary and secondary email, language, country.",
            "products": "Products of the catalogue (DSGEN_CATALOGUE, the shipped one, or derived "
            "from the policy): category, price, warranty, return window, contract term.",
            "orders": "Orders: customer, products, dates inside the batch's window, status, total.",
        }.items()
    },
    partitions_def=daily_partitions,
    can_subset=False,
)
def entities(
    context: dg.AssetExecutionContext,
    batch_settings: BatchSettings,
    warehouse: Warehouse,
    llm: LLMResource,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    settings = batch_settings.validated()
    key = context.partition_key
    with timed_stage(context, warehouse, "entities"):
        customer_count, product_count, order_count = world_sizes(settings.tickets_per_batch)
        domain = settings.domain()
        scenarios = domain.scenarios
        customers = sample_customers(
            settings.seed, key, customer_count, languages=scenarios.language, tiers=scenarios.tier
        )
        # With the openai provider and no catalogue file, the model's catalogue (validated),
        # else the one derived from the policy.
        catalogue, catalogue_meta = world_catalogue(domain, llm, key, context.log)
        products = sample_products(
            settings.seed, key, product_count, catalogue=catalogue, brand=brand(domain)
        )
        orders = sample_orders(settings.seed, key, order_count, customers, products)
    context.log.info(
        f"entities: {len(customers)} customers, {len(products)} products, {len(orders)} orders"
    )
    context.add_output_metadata(catalogue_meta, output_name="products")
    return (
        frame_from_models(Customer, customers),
        frame_from_models(Product, products),
        frame_from_models(Order, orders),
    )


ASSETS = [entities]
