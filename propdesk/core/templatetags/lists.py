"""``{% pagedtable page class="dense responsive" empty=_("No messages yet.") %}<thead>…</thead>
<tbody>…</tbody>{% endpagedtable %}``: a console list's table, then its pager
(``core/partials/pagination.html``, with the ``hx_*`` it takes from the context); or, when the
page is empty, the ``empty`` message (``empty_class``, default ``empty``); nothing while there is
no page (the filters are wrong). Every paged console list ends the same way, so it is written
once."""

from django import template
from django.template.base import token_kwargs
from django.utils.safestring import mark_safe

register = template.Library()

OPTIONS = {"class", "empty", "empty_class"}


class PagedTableNode(template.Node):
    def __init__(self, page, options, nodelist):
        self.page, self.options, self.nodelist = page, options, nodelist

    def render(self, context):
        page = self.page.resolve(context)
        if page is None:
            return ""
        values = {name: value.resolve(context) for name, value in self.options.items()}
        rows = mark_safe(self.nodelist.render(context)) if page.object_list else ""
        partial = context.template.engine.get_template("core/partials/paged_table.html")
        with context.push(
            page=page,
            rows=rows,
            table_class=values.get("class", ""),
            empty=values.get("empty", ""),
            empty_class=values.get("empty_class") or "empty",
        ):
            return partial.render(context)


@register.tag
def pagedtable(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("pagedtable takes the page first")
    options = token_kwargs(bits[2:], parser)
    if len(options) != len(bits) - 2 or not set(options) <= OPTIONS:
        raise template.TemplateSyntaxError(f"pagedtable takes the page, then {sorted(OPTIONS)}")
    nodelist = parser.parse(("endpagedtable",))
    parser.delete_first_token()
    return PagedTableNode(parser.compile_filter(bits[1]), options, nodelist)
