"""`dangjian bench --url` against a live server (its own module: the test flushes the database)."""

import pytest

from dangjian.demo.management.commands import bench
from tests.demo.test_bench import run_bench
from tests.demo.test_demo import load


# serialized_rollback like the suite's other transactional tests: a plain flush would re-create the
# content types that the next serialized rollback restores.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_load_mode_drives_a_running_server(live_server):
    load(orgs=60, people=600)
    output = run_bench(
        "--url",
        live_server.url.replace("localhost", "127.0.0.1"),
        "--connections",
        "2",
        "--passes",
        "1",
        "--roles",
        f"zhibu,{bench.PUBLIC}",
        "--no-ratio",
    )
    assert "角色 zhibu" in output and "角色 public" in output
    assert "请求/秒" in output and "全部角色" in output
    _account, pages = bench.role_mix(bench.PUBLIC)
    for label in pages:
        assert label in output
    zhibu, public = output.split("角色 public")
    _account, mix = bench.role_mix("zhibu")
    assert f"{2 * len(mix)} 个请求" in zhibu or "跳过" in zhibu
    assert f"{2 * len(pages)} 个请求" in public
    assert "错误 0" in zhibu and "错误 0" in public
