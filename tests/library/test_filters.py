"""Listing filters on topic pages: only relevant filters, and they narrow the list."""

import pytest


def listed(response):
    return {page.title for page in response.context["pages"]}


@pytest.mark.django_db
def test_exercise_filters(client, tree):
    url = tree["topics"][0].url
    assert listed(client.get(url)) == {"Tuolijumppa", "Tasapaino"}
    assert listed(client.get(url, {"position": "seated"})) == {"Tuolijumppa"}
    assert listed(client.get(url, {"level": "medium"})) == {"Tasapaino"}
    assert listed(client.get(url, {"duration": "short"})) == {"Tuolijumppa"}
    assert listed(client.get(url, {"duration": "medium"})) == {"Tasapaino"}
    assert listed(client.get(url, {"tag": "AAMU"})) == {"Tuolijumppa"}


@pytest.mark.django_db
def test_recipe_filters_use_total_time_and_diet(client, tree):
    url = tree["topics"][1].url
    assert listed(client.get(url, {"diet": "gluten_free"})) == {"Linssikeitto"}
    assert listed(client.get(url, {"diet": "low_cost"})) == {"Kaurapuuro"}
    # 10 + 20 minutes makes the soup a medium-length recipe.
    assert listed(client.get(url, {"duration": "medium"})) == {"Linssikeitto"}
    assert listed(client.get(url, {"duration": "short"})) == {"Kaurapuuro"}


@pytest.mark.django_db
def test_only_relevant_filters_are_shown(client, tree):
    def shown(topic):
        return {field.name for field in client.get(topic.url).context["filter"].visible_fields}

    exercise, food, digital = tree["topics"]
    assert shown(exercise) == {"duration", "level", "position"}
    assert shown(food) == {"duration", "diet"}
    assert shown(digital) == {"level"}


@pytest.mark.django_db
def test_invalid_filter_value_lists_everything_without_error(client, tree):
    response = client.get(tree["topics"][0].url, {"position": "upside-down"})
    assert response.status_code == 200
    assert listed(response) == {"Tuolijumppa", "Tasapaino"}
