"""How rows would spread over Citus shards distributed by the top-level organisation.

Beyond one PostgreSQL (docs/SCALING.md), every large table carries the id of its top-level
organisation (the 党委 at depth 1: a school, an enterprise, a county) and Citus hash-distributes
on it, so a subtree, its people and their records sit on one shard. Whether that balances
depends on the sizes of the top-level organisations: this computes them with the demo generator
(the same institutions `load_demo --orgs` makes, without a database) and hashes them onto shards.

People are split between institutions by their branches' weights, as the loader does (its
per-branch jitter averages out). Rows are estimated from the reference load's rows per person
and per organisation (`load_demo --orgs 100000 --people 3000000` with the modules).
"""

from __future__ import annotations

import hashlib
import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field

from dangjian.demo import generator

# Rows of the reference data set (100,000 organisations, 3,000,000 people, with the modules):
# 15,493,874 follow a person (the person, status changes, positions, attendance, evaluation
# results, development dossiers, posts, duty records, leading-group members), 1,584,712 an
# organisation (the organisation, units, terms, meetings, reports, assessments, item scores).
ROWS_PER_PERSON = 5.16
ROWS_PER_ORG = 15.85


@dataclass
class Shard:
    number: int
    keys: int = 0
    orgs: int = 0
    people: float = 0.0

    @property
    def rows(self) -> float:
        return self.people * ROWS_PER_PERSON + self.orgs * ROWS_PER_ORG


@dataclass
class Distribution:
    orgs: int
    people: int
    shards: list[Shard]
    workers: int
    key_orgs: list[int] = field(default_factory=list)  # organisations per top-level org
    key_people: list[float] = field(default_factory=list)

    def lines(self) -> Iterator[str]:
        """The report as Markdown lines (what docs/SCALING.md shows)."""
        keys = len(self.key_orgs)
        yield (
            f"{self.orgs:,} organisations, {self.people:,} people → {keys:,} top-level "
            f"organisations (distribution keys) on {len(self.shards)} shards, "
            f"{self.workers} workers"
        )
        yield ""
        yield (
            f"- per top-level organisation: organisations median "
            f"{statistics.median(self.key_orgs):,.0f}, largest {max(self.key_orgs):,}; people "
            f"median {statistics.median(self.key_people):,.0f}, largest "
            f"{max(self.key_people):,.0f} ({max(self.key_people) / self.people:.4%} of all)"
        )
        rows = [s.rows for s in self.shards]
        mean = statistics.mean(rows)
        yield (
            f"- rows per shard (estimated): min {min(rows) / 1e6:,.1f} M, mean "
            f"{mean / 1e6:,.1f} M, max {max(rows) / 1e6:,.1f} M; max/mean {max(rows) / mean:.3f}"
        )
        per_worker = [0.0] * self.workers
        for shard in self.shards:
            per_worker[shard.number % self.workers] += shard.rows
        yield (
            f"- rows per worker ({len(self.shards) // self.workers} shards each): min "
            f"{min(per_worker) / 1e6:,.1f} M, max {max(per_worker) / 1e6:,.1f} M; max/mean "
            f"{max(per_worker) / statistics.mean(per_worker):.3f}"
        )
        yield ""
        yield "| shard | top-level orgs | organisations | people | rows (est.) |"
        yield "|---:|---:|---:|---:|---:|"
        for s in self.shards:
            yield (
                f"| {s.number} | {s.keys:,} | {s.orgs:,} | {s.people:,.0f} | "
                f"{s.rows / 1e6:,.1f} M |"
            )


def shard_of(key: int, shards: int) -> int:
    """The shard of a distribution key: a uniform 32-bit hash cut into equal ranges, as Citus
    does with PostgreSQL's hash of the column (the hash function differs, not the property)."""
    digest = hashlib.blake2b(key.to_bytes(8, "little"), digest_size=4).digest()
    return int.from_bytes(digest, "little") * shards >> 32


def distribute(
    *, orgs: int, people: int, shards: int = 32, workers: int = 8, seed: int = 2026
) -> Distribution:
    """Spread the generator's institutions for `orgs` organisations over `shards` shards."""
    year = 2026
    sizes: list[int] = []
    weights: list[float] = []
    for institution in generator.institutions(orgs, seed, year):
        sizes.append(institution.size())
        weights.append(
            sum(
                generator.BRANCH_WEIGHT[node.category]
                for node in institution.committee.walk()
                if node.kind == "branch"
            )
        )
    total_weight = sum(weights) or 1.0
    result = Distribution(orgs=orgs, people=people, workers=workers, shards=[])
    result.shards = [Shard(n) for n in range(shards)]
    result.key_orgs = sizes
    result.key_people = [people * w / total_weight for w in weights]
    for key, (size, share) in enumerate(zip(sizes, result.key_people, strict=True), start=1):
        shard = result.shards[shard_of(key, shards)]
        shard.keys += 1
        shard.orgs += size
        shard.people += share
    return result
