"""entities: the batch's customers, products and orders, with consistent keys."""

import dagster as dg
import polars as pl

from dsgen_dagster.defs.entities.models import Customer, Order, Product
from dsgen_dagster.defs.entities.sampling import (
    sample_customers,
    sample_orders,
    sample_products,
    world_sizes,
)
from dsgen_dagster.lib.stage import code_version, timed_stage
from dsgen_dagster.partitions import daily_partitions
from dsgen_dagster.settings import BatchSettings
from dsgen_dagster.storage.frames import frame_from_models
from dsgen_dagster.storage.warehouse import Warehouse

GROUP = "entities"


@dg.multi_asset(
    outs={
        name: dg.AssetOut(
            group_name=GROUP, kinds={"duckdb"}, code_version=code_version(), description=text
        )
        for name, text in {
            "customers": "Customers: tier, primary and secondary email, language, country.",
            "products": "Products: category, price, warranty and return window.",
            "orders": "Orders: customer, products, dates inside the batch's window, status, total.",
        }.items()
    },
    partitions_def=daily_partitions,
    can_subset=False,
)
def entities(
    context: dg.AssetExecutionContext, batch_settings: BatchSettings, warehouse: Warehouse
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    settings = batch_settings.validated()
    key = context.partition_key
    with timed_stage(context, warehouse, "entities"):
        customer_count, product_count, order_count = world_sizes(settings.tickets_per_batch)
        customers = sample_customers(settings.seed, key, customer_count)
        products = sample_products(settings.seed, key, product_count)
        orders = sample_orders(settings.seed, key, order_count, customers, products)
    context.log.info(
        f"entities: {len(customers)} customers, {len(products)} products, {len(orders)} orders"
    )
    return (
        frame_from_models(Customer, customers),
        frame_from_models(Product, products),
        frame_from_models(Order, orders),
    )


ASSETS = [entities]
