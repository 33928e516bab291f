"""Seeded sampling of a batch's world. Pure functions of (seed, partition key, sizes)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping

from dsgen_dagster import ids
from dsgen_dagster.defs.entities.catalogue import (
    COUNTRIES,
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    ORDER_STATUS_WEIGHTS,
    PAYMENT_METHODS,
    SHIPPING_METHODS,
)
from dsgen_dagster.defs.entities.models import Customer, Order, Product
from dsgen_dagster.lib.catalogue import Catalogue, shipped_catalogue
from dsgen_dagster.lib.vocabulary import CUSTOMER_TIER_WEIGHTS, LANGUAGE_WEIGHTS
from dsgen_dagster.partitions import batch_date
from dsgen_dagster.seeding import rng_for, weighted_choice

ORDER_WINDOW_DAYS = 90


def world_sizes(tickets_per_batch: int) -> tuple[int, int, int]:
    """(customers, products, orders): enough that several tickets can share an order."""
    customers = max(8, round(tickets_per_batch * 0.7))
    products = max(12, min(400, tickets_per_batch // 3))
    orders = max(10, round(tickets_per_batch * 0.9))
    return customers, products, orders


def ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def sample_customers(
    seed: int,
    partition_key: str,
    count: int,
    *,
    languages: Mapping[str, float] = LANGUAGE_WEIGHTS,
    tiers: Mapping[str, float] = CUSTOMER_TIER_WEIGHTS,
) -> list[Customer]:
    """Customers speaking the served `languages`, of `tiers`, in the scenario table's weights."""
    today = batch_date(partition_key)
    customers = []
    for index in range(1, count + 1):
        rng = rng_for(seed, partition_key, "customer", index)
        language = weighted_choice(rng, dict(languages))
        first, last = rng.choice(FIRST_NAMES[language]), rng.choice(LAST_NAMES[language])
        handle = f"{ascii_slug(first)}.{ascii_slug(last)}{rng.randint(1, 999)}"
        secondary = (
            f"{ascii_slug(first)[0]}{ascii_slug(last)}{rng.randint(10, 99)}"
            f"@{rng.choice(EMAIL_DOMAINS)}"
            if rng.random() < 0.4
            else None
        )
        customers.append(
            Customer(
                customer_id=ids.make_id(ids.CUSTOMER_PREFIX, partition_key, index),
                first_name=first,
                last_name=last,
                full_name=f"{first} {last}",
                tier=weighted_choice(rng, dict(tiers)),  # type: ignore[arg-type]
                primary_email=f"{handle}@{rng.choice(EMAIL_DOMAINS)}",
                secondary_email=secondary,
                language=language,  # type: ignore[arg-type]
                country=rng.choice(COUNTRIES[language]),
                signup_date=today - dt.timedelta(days=rng.randint(30, 2000)),
            )
        )
    return customers


def sample_products(
    seed: int,
    partition_key: str,
    count: int,
    *,
    catalogue: Catalogue | None = None,
    brand: str = "Voltora",
) -> list[Product]:
    """Products of the catalogue's lines; branded lines carry the company's `brand`."""
    lines = sorted((catalogue or shipped_catalogue()).lines, key=lambda line: line.category)
    products = []
    for index in range(1, count + 1):
        rng = rng_for(seed, partition_key, "product", index)
        # Cycle lines first so even a small world covers every category and policy area.
        line = lines[(index - 1) % len(lines)] if index <= len(lines) else rng.choice(lines)
        low, high = line.price_range
        price = round(rng.uniform(low, high), 0) - 0.01 if high > low else low
        name = f"{rng.choice(line.names)}{rng.choice(line.variants)}"
        products.append(
            Product(
                product_id=ids.make_id(ids.PRODUCT_PREFIX, partition_key, index),
                sku=f"{sku_prefix(brand)}-{ascii_slug(line.category)[:3].upper()}-"
                f"{rng.randint(10000, 99999)}",
                name=f"{brand} {name}" if line.branded and brand else name,
                category=line.category,
                price_eur=price,
                warranty_months=line.warranty_months,
                return_window_days=line.return_window_days,
                contract_months=line.contract_months,
            )
        )
    return products


def sku_prefix(brand: str) -> str:
    """`VT` for Voltora (as shipped), else the brand's first two letters."""
    letters = ascii_slug(brand).upper()
    return "VT" if letters.startswith("VOLTORA") else (letters[:2] or "PR")


def sample_orders(
    seed: int, partition_key: str, count: int, customers: list[Customer], products: list[Product]
) -> list[Order]:
    today = batch_date(partition_key)
    orders = []
    for index in range(1, count + 1):
        rng = rng_for(seed, partition_key, "order", index)
        customer = (
            customers[(index - 1) % len(customers)]
            if index <= len(customers)
            else rng.choice(customers)
        )
        items = rng.sample(
            products, k=min(len(products), rng.choices([1, 2, 3], [0.7, 0.22, 0.08])[0])
        )
        quantities = [rng.choices([1, 2], [0.85, 0.15])[0] for _ in items]
        status = weighted_choice(rng, ORDER_STATUS_WEIGHTS)
        order_date = today - dt.timedelta(days=rng.randint(1, ORDER_WINDOW_DAYS))
        delivered = status in ("delivered", "returned")
        delivery_date = (
            min(today, order_date + dt.timedelta(days=rng.randint(1, 6))) if delivered else None
        )
        shipping = weighted_choice(rng, SHIPPING_METHODS)
        total = sum(p.price_eur * q for p, q in zip(items, quantities, strict=True))
        payment = weighted_choice(rng, PAYMENT_METHODS)
        if payment == "instalments" and total <= 300:
            payment = "card"  # instalments need an order above 300 (shipped policy 4.3)
        orders.append(
            Order(
                order_id=ids.make_id(ids.ORDER_PREFIX, partition_key, index),
                customer_id=customer.customer_id,
                product_ids=[p.product_id for p in items],
                quantities=quantities,
                order_date=order_date,
                delivery_date=delivery_date,
                status=status,  # type: ignore[arg-type]
                shipping_method=shipping,
                payment_method=payment,
                total_eur=round(total + (9.95 if shipping == "express" else 0.0), 2),
            )
        )
    return orders
