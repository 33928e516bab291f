"""Rows of the customers, products and orders tables."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from dsgen_dagster.lib.vocabulary import CustomerTier, Language, OrderStatus
from dsgen_dagster.quality.tables import Table


class Customer(BaseModel):
    customer_id: str = Field(pattern=r"^cus_\d{8}_\d{6}$")
    first_name: str
    last_name: str
    full_name: str
    tier: CustomerTier
    primary_email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]+$")
    secondary_email: str | None = None
    language: Language
    country: str = Field(min_length=2, max_length=2)
    signup_date: dt.date


class Product(BaseModel):
    product_id: str = Field(pattern=r"^prd_\d{8}_\d{6}$")
    sku: str
    name: str
    category: str
    price_eur: float = Field(
        gt=0, description="Price in the policy's currency (the column keeps its name)."
    )
    warranty_months: int = Field(ge=0)
    return_window_days: int = Field(ge=0)
    contract_months: int = Field(default=0, ge=0, description="Minimum contract term; 0 = none.")


class Order(BaseModel):
    order_id: str = Field(pattern=r"^ord_\d{8}_\d{6}$")
    customer_id: str
    product_ids: list[str] = Field(min_length=1)
    quantities: list[int] = Field(min_length=1)
    order_date: dt.date
    delivery_date: dt.date | None
    status: OrderStatus
    shipping_method: str
    payment_method: str
    total_eur: float = Field(gt=0)


# The stage's output table(s): what the schema check, schemas/*.json and exports read.
CUSTOMERS_TABLE = Table("customers", Customer, "customer_id", exported=True)
PRODUCTS_TABLE = Table("products", Product, "product_id", exported=True)
ORDERS_TABLE = Table("orders", Order, "order_id", exported=True)
TABLES = [CUSTOMERS_TABLE, PRODUCTS_TABLE, ORDERS_TABLE]
