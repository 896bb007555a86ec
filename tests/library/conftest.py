import pytest
from django.core.management import call_command

from tests.library.tree import build_tree


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def indexed_tree(tree):
    """The tree as search sees it once the workers have run the index tasks queued at commit.

    Tests run tasks inline, before modelcluster saves a page's tags, so tags would be missing.
    """
    call_command("update_index", verbosity=0)
    return tree
