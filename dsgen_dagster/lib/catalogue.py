"""The product catalogue a batch's world is drawn from, and how a user's catalogue file is read.

Three sources, in order: the user's file (`DSGEN_CATALOGUE`, YAML or CSV, the columns below), the
shipped electronics catalogue for the shipped policy, else generic products derived from the
policy's section titles (one category per section, a basic/plus/premium line in each).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dsgen_dagster.errors import ConfigError
from dsgen_dagster.lib.yamlfile import read_yaml

# column -> (kind, required, what it is): the catalogue file's columns, documented in README.
CATALOGUE_COLUMNS: dict[str, tuple[str, bool, str]] = {
    "name": ("text", True, "the product, plan or service as customers name it"),
    "category": ("text", True, "what kind of thing it is; ticket types may name categories"),
    "price": ("number", True, "price in the policy's currency, a plain number (19.99)"),
    "warranty_months": ("whole number", False, "warranty term; 0 = none (default 0)"),
    "return_window_days": ("whole number", False, "days to return or withdraw (default 0)"),
    "contract_months": ("whole number", False, "minimum contract term; 0 = none (default 0)"),
}
TERM_COLUMNS = ("warranty_months", "return_window_days", "contract_months")
DERIVED_TIERS = ("Basic", "Plus", "Premium")
DERIVED_PRICES = (9, 99)
SKIPPED_SECTIONS = ("definitions", "interpretation", "glossary", "general", "scope")


@dataclass(frozen=True)
class CatalogueLine:
    """One line of products: a category, the names drawn from, a price range and its terms."""

    category: str
    names: tuple[str, ...]
    price_range: tuple[float, float]
    warranty_months: int = 0
    return_window_days: int = 0
    contract_months: int = 0
    variants: tuple[str, ...] = ("",)
    branded: bool = False  # the name is prefixed with the company's brand (the shipped lines)


@dataclass(frozen=True)
class Catalogue:
    lines: tuple[CatalogueLine, ...]
    source: str  # "shipped", "derived from the policy", or the file's path

    @property
    def categories(self) -> list[str]:
        return sorted({line.category for line in self.lines})


# category -> (brand-line names, price range EUR, warranty months, return window days)
SHIPPED_CATEGORIES: dict[str, tuple[tuple[str, ...], tuple[int, int], int, int]] = {
    "laptops": (
        ("AeroBook 14", "AeroBook Pro 16", "Stratus 13", "Nimbus X15"),
        (549, 2399),
        24,
        30,
    ),
    "smartphones": (("Pulse 8", "Pulse 8 Max", "Orbit S", "Orbit Lite"), (199, 1299), 24, 30),
    "headphones": (("SoundArc ANC", "EarDrop Buds", "StudioOne Over-Ear"), (39, 399), 24, 30),
    "monitors": (("ViewPane 27 QHD", "ViewPane 32 4K", "CurveLine 34"), (179, 899), 24, 30),
    "networking": (("MeshLink Router AX", "MeshLink Node", "SwitchBox 8"), (49, 349), 24, 30),
    "smart home": (
        ("HomeHub Mini", "LumenStrip Lights", "ThermoSense Thermostat"),
        (29, 249),
        24,
        30,
    ),
    "printers": (("InkJet Home 300", "LaserDesk M2"), (89, 449), 24, 30),
    "printer ink": (("Ink Cartridge XL Black", "Ink Cartridge Colour Pack"), (19, 69), 24, 0),
    "cameras": (("ClearShot Z50", "ActionCam 4K"), (149, 1199), 24, 30),
    "gaming": (
        ("PlayCore Console", "ProPad Controller", "Velocity Gaming Mouse"),
        (29, 549),
        24,
        30,
    ),
    "personal care": (("BrightSmile Sonic Toothbrush", "SmoothTrim Shaver"), (29, 199), 24, 30),
    "software": (("SecureSuite Antivirus 1 Year", "OfficeWorks Home"), (29, 149), 0, 0),
}
SHIPPED_VARIANTS: dict[str, tuple[str, ...]] = {
    "laptops": ("", " (16 GB)", " (32 GB)", " – Silver"),
    "smartphones": ("", " (128 GB)", " (256 GB)", " – Black", " – White"),
    "headphones": ("", " – Black", " – White"),
    "gaming": ("", " – Black", " – White"),
    "personal care": ("", " – White"),
}


def shipped_catalogue() -> Catalogue:
    lines = tuple(
        CatalogueLine(
            category=category,
            names=names,
            price_range=(float(low), float(high)),
            warranty_months=warranty,
            return_window_days=window,
            variants=SHIPPED_VARIANTS.get(category, ("",)),
            branded=True,
        )
        for category, (names, (low, high), warranty, window) in SHIPPED_CATEGORIES.items()
    )
    return Catalogue(lines, "shipped")


def derived_catalogue(section_titles: list[str]) -> Catalogue:
    """Generic products for a policy without a catalogue: a category per section title."""
    lines = []
    for title in dict.fromkeys(t.strip() for t in section_titles if t.strip()):
        if title.lower() in SKIPPED_SECTIONS:
            continue
        lines.append(
            CatalogueLine(
                category=title.lower(),
                names=tuple(f"{title} {tier}" for tier in DERIVED_TIERS),
                price_range=(float(DERIVED_PRICES[0]), float(DERIVED_PRICES[1])),
                warranty_months=12,
                return_window_days=14,
                contract_months=12,
                branded=True,
            )
        )
    if not lines:
        lines.append(CatalogueLine("services", ("Service",), (9.0, 99.0), branded=True))
    return Catalogue(tuple(lines), "derived from the policy")


def load_catalogue_file(path: Path) -> Catalogue:
    """A user's catalogue: YAML (a list of rows, or `products:` a list) or CSV with a header."""
    if not path.is_file():
        raise ConfigError(f"DSGEN_CATALOGUE={str(path)!r}: no such file; give a YAML or CSV file")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        rows = _yaml_rows(path)
    elif suffix == ".csv":
        rows = _csv_rows(path)
    else:
        raise ConfigError(
            f"{path}: unknown catalogue format {suffix or '(no suffix)'!r}; name the file "
            "*.yaml, *.yml or *.csv"
        )
    if not rows:
        raise ConfigError(
            f"{path}: the catalogue has no products; give at least one row with "
            "name, category and price"
        )
    return Catalogue(tuple(_line(path, line, row) for line, row in rows), str(path))


def _yaml_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    document = read_yaml(path)
    items = document.value
    if isinstance(items, dict) and set(items) == {"products"}:
        items = items["products"].value
    if not isinstance(items, list):
        raise ConfigError(
            f"{path}:{document.line}: expected a list of products (or `products:` and a list); "
            "write one `- name: ...` entry per product"
        )
    rows = []
    for item in items:
        if not isinstance(item.value, dict):
            raise ConfigError(
                f"{path}:{item.line}: a product must be a mapping of columns "
                f"({', '.join(CATALOGUE_COLUMNS)}); write `- name: ..., category: ..., price: ...`"
            )
        rows.append((item.line, {key: value.value for key, value in item.value.items()}))
    return rows


def _csv_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = []
        for row in reader:
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            if None in row:
                raise ConfigError(
                    f"{path}:{reader.line_num}: more values than header columns; quote values "
                    "that contain commas"
                )
            rows.append((reader.line_num, {key.strip(): value for key, value in row.items()}))
    return rows


def _line(path: Path, line: int, row: Mapping[str, Any]) -> CatalogueLine:
    unknown = sorted(set(row) - set(CATALOGUE_COLUMNS))
    if unknown:
        raise ConfigError(
            f"{path}:{line}: unknown column {unknown[0]!r}; the columns are "
            f"{', '.join(CATALOGUE_COLUMNS)} (rename or remove it)"
        )
    values = {key: ("" if value is None else value) for key, value in row.items()}
    for column in ("name", "category"):
        if not str(values.get(column, "")).strip():
            raise ConfigError(
                f"{path}:{line}: the product has no {column}; give every row a {column}"
            )
    price = _number(path, line, "price", values.get("price", ""))
    if price <= 0:
        raise ConfigError(f"{path}:{line}: price {price} is not above 0; give a positive price")
    terms = {
        column: _whole(path, line, column, values[column])
        if str(values.get(column, "")).strip()
        else 0
        for column in TERM_COLUMNS
    }
    return CatalogueLine(
        category=str(values["category"]).strip().lower(),
        names=(str(values["name"]).strip(),),
        price_range=(price, price),
        warranty_months=terms["warranty_months"],
        return_window_days=terms["return_window_days"],
        contract_months=terms["contract_months"],
    )


def _number(path: Path, line: int, column: str, raw: Any) -> float:
    try:
        if isinstance(raw, bool):
            raise ValueError
        return float(str(raw).strip())
    except ValueError:
        raise ConfigError(
            f"{path}:{line}: {column} {raw!r} is not a number; write it as a plain number "
            "such as 19.99 (no currency sign)"
        ) from None


def _whole(path: Path, line: int, column: str, raw: Any) -> int:
    try:
        if isinstance(raw, bool) or float(str(raw).strip()) != int(float(str(raw).strip())):
            raise ValueError
        value = int(float(str(raw).strip()))
    except ValueError:
        raise ConfigError(
            f"{path}:{line}: {column} {raw!r} is not a whole number; write it as 0, 12, 24 ..."
        ) from None
    if value < 0:
        raise ConfigError(f"{path}:{line}: {column} {value} is negative; give 0 or more")
    return value
