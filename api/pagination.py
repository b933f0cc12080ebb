from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`: 20 a page by default, never more than 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class ListingPagination(PageNumberPagination):
    """Pages of offers or needs; with `?skill=`, `resolved` says which skill each term named
    (`{"skill": {"paye": "payroll"}}`)."""

    def get_paginated_response_schema(self, schema: dict) -> dict:
        described = super().get_paginated_response_schema(schema)
        described["properties"]["resolved"] = {
            "type": "object",
            "description": "Present with ?skill=: each term given and the slug it named.",
            "properties": {"skill": {"type": "object", "additionalProperties": {"type": "string"}}},
        }
        return described
