"""Print how the generator's data would spread over Citus shards distributed by the top-level
organisation (docs/SCALING.md shows the national-scale output).

dangjian shard_distribution --orgs 5000000 --people 100000000 --shards 32 --workers 8
"""

from django.core.management.base import BaseCommand, CommandError

from dangjian.demo.shards import distribute


class Command(BaseCommand):
    help = "按顶层党组织分片（Citus）时各分片的数据量（由演示数据生成器计算，不访问数据库）"

    def add_arguments(self, parser):
        parser.add_argument("--orgs", type=int, default=5_000_000, help="党组织总数")
        parser.add_argument("--people", type=int, default=100_000_000, help="人员总数")
        parser.add_argument("--shards", type=int, default=32, help="分片数（Citus 默认32）")
        parser.add_argument("--workers", type=int, default=8, help="工作节点数")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, orgs, people, shards, workers, seed, **options):
        if orgs < 3 or shards < 1 or workers < 1 or shards % workers:
            raise CommandError("--orgs 至少为3；--shards 须为 --workers 的整数倍。")
        for line in distribute(
            orgs=orgs, people=people, shards=shards, workers=workers, seed=seed
        ).lines():
            self.stdout.write(line)
