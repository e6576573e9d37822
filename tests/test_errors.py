"""One error hierarchy for what users see: refusals are UserErrors with a sentence, and a real bug
(a ValueError from anywhere) is never mistaken for one."""

from __future__ import annotations

import pytest

from readerapp.cli import main
from readerapp.core.errors import BadInputError, UserError
from readerapp.core.feed_rules import check_categories
from readerapp.storage.feeds import FeedExistsError
from readerapp.storage.library import TopicError


@pytest.mark.parametrize("error", [TopicError, FeedExistsError])
def test_refusals_are_user_errors_not_value_errors(error: type[Exception]) -> None:
    assert issubclass(error, BadInputError)
    assert not issubclass(error, ValueError)


def test_an_unknown_category_is_a_sentence() -> None:
    with pytest.raises(UserError, match="arXiv has no category “cs.XX”"):
        check_categories(["cs.XX"])


def test_the_cli_says_a_refusal_in_one_sentence_with_exit_2(home, capsys) -> None:
    assert main(["--home", str(home), "feeds", "add", "arxiv:cs.LG"]) == 0
    capsys.readouterr()
    assert main(["--home", str(home), "feeds", "add", "arxiv:cs.LG"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("readerapp: You already follow") and err.count("\n") == 1
