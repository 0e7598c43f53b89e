"""Sphinx settings of the collection's docs site; scripts/docs builds it, offline."""
project = "redundant.interfaces"
copyright = "the redundant.interfaces authors"
title = "redundant.interfaces"
html_short_title = "redundant.interfaces"

# antsibull-docs' own extension renders the plugin and role pages it writes; no intersphinx:
# the build reads nothing from the network.
extensions = ["sphinx_antsibull_ext"]

pygments_style = "ansible"
highlight_language = "YAML+Jinja"

html_theme = "sphinx_ansible_theme"
html_show_sphinx = False
display_version = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

default_role = "any"

# The plugin pages refer to Ansible's own docs and to other collections by Sphinx label, which
# intersphinx would resolve by downloading their inventories. The build stays offline: such a
# label becomes a link to its page on docs.ansible.com instead.
ANSIBLE_DOCS = "https://docs.ansible.com/projects/ansible/latest/"
ANSIBLE_PAGES = {
    "action_plugins": "plugins/action.html",
    "callback_plugins": "plugins/callback.html",
    "common_return_values": "reference_appendices/common_return_values.html",
    "ansible_configuration_settings": "reference_appendices/config.html",
}


def _ansible_page(target):
    if target in ANSIBLE_PAGES:
        return ANSIBLE_PAGES[target]
    parts = target.split(".")
    if len(parts) == 4 and parts[0] == "ansible_collections" and parts[1:3] != ["redundant", "interfaces"]:
        return "collections/%s/%s/%s.html" % tuple(parts[1:])
    return None


def _external(app, env, node, contnode):
    from docutils import nodes
    page = _ansible_page(node.get("reftarget", "")) if node.get("reftype") == "ref" else None
    if page is None:
        return None
    text = contnode.astext() if contnode is not None else node["reftarget"]
    return nodes.reference("", text, internal=False, refuri=ANSIBLE_DOCS + page)


def setup(app):
    app.connect("missing-reference", _external)
