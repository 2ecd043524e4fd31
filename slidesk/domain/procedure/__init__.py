"""The procedure's rules: sites, injections, syringes, completion, checklist, amendments."""
