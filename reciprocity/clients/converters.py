from reciprocity.clients.codes import URL_PATTERN


class ClientCodeConverter:
    """`<code:code>` in a URL: something shaped like a client code (whose it is, the view decides)."""

    regex = URL_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
