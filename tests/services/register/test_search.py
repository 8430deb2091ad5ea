from app.services.register.search import list_text


def test_the_list_waits_for_a_fourth_digit_of_an_id() -> None:
    assert list_text("62") == ""
    assert list_text(" 620 ") == ""
    assert list_text("6209") == "6209"
    assert list_text("zs") == "zs"
    assert list_text("张") == "张"
