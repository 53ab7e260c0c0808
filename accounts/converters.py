"""The path converter for row ids: at most 18 digits, so an id the database cannot hold is a 404
at URL resolution (SQLite cannot even bind a 20-digit integer: that was a server error)."""

from django.urls import register_converter
from django.urls.converters import IntConverter


class IdConverter(IntConverter):
    regex = "[0-9]{1,18}"


register_converter(IdConverter, "id")
