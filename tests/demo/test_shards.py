"""The Citus shard distribution computed from the generator (docs/SCALING.md)."""

import io

import pytest
from django.core.management import CommandError, call_command

from dangjian.demo import shards


def test_every_organisation_and_person_lands_on_one_shard():
    result = shards.distribute(orgs=400, people=2000, shards=4, workers=2)
    assert sum(s.orgs for s in result.shards) == 400
    assert sum(s.people for s in result.shards) == pytest.approx(2000)
    assert sum(s.keys for s in result.shards) == len(result.key_orgs) > 2
    lines = list(result.lines())
    assert lines[0].startswith("400 organisations, 2,000 people")
    assert sum(1 for line in lines if line.startswith("| ")) == 1 + 4  # header and 4 shards


def test_shard_of_is_stable_and_in_range():
    assert [shards.shard_of(k, 32) for k in range(1, 6)] == [
        shards.shard_of(k, 32) for k in range(1, 6)
    ]
    assert {shards.shard_of(k, 8) for k in range(1, 2000)} == set(range(8))


def test_command_refuses_shards_not_a_multiple_of_workers():
    with pytest.raises(CommandError):
        call_command("shard_distribution", orgs=100, shards=5, workers=2)
    out = io.StringIO()
    call_command("shard_distribution", orgs=100, people=1000, shards=4, workers=2, stdout=out)
    assert "| shard |" in out.getvalue()
