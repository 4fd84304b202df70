"""Labels of the Department, Timeliness, Satisfaction and Data pages (zh, en)."""

DETAIL_TEXT: dict[str, tuple[str, str]] = {
}
