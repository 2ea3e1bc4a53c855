from dangjian.core.rules import field_changes


def test_field_changes_only_lists_differences_and_treats_blank_as_missing():
    assert field_changes({"a": 1, "b": ""}, {"a": 2, "b": None}) == {"a": [1, 2]}
    assert field_changes({}, {"name": "x", "note": ""}) == {"name": [None, "x"]}
