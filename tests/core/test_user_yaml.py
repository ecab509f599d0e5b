"""A YAML file a user names is refused the same way by every command that reads one."""

from __future__ import annotations

import pytest

from tiro.core.errors import InvalidInput
from tiro.core.yaml_strict import read_user_yaml


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"a: 1\na: 2\n", "duplicate key 'a' at line 2: a key may appear once"),
        (b"a: [1\n", "not valid YAML"),
        (b"a: \xff\xfe\n", "cannot read the file"),
    ],
)
def test_bad_user_yaml_is_one_refusal_on_the_field(tmp_path, content: bytes, reason: str) -> None:
    file = tmp_path / "in.yaml"
    file.write_bytes(content)
    with pytest.raises(InvalidInput) as info:
        read_user_yaml(file)
    assert info.value.field == "file" and reason in info.value.message


def test_missing_file_and_directory_are_refused(tmp_path) -> None:
    for path, reason in ((tmp_path / "nope.yaml", "no such file"), (tmp_path, "is a directory")):
        with pytest.raises(InvalidInput, match=reason) as info:
            read_user_yaml(path, field="FILE")
        assert info.value.field == "FILE"
    (tmp_path / "ok.yaml").write_text("a: 1\n", encoding="utf-8")
    assert read_user_yaml(tmp_path / "ok.yaml") == {"a": 1}
