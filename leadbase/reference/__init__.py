"""Reference tables shared by dedupe and enrich: free-mail hosts, role mailboxes, sites.

`dedupe` and `enrich` never import each other, yet both must agree on what a free-mail
domain or a social page is; the tables live here, in the core, once.
"""
