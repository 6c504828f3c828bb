"""Users, roles and agencies. Roles now; logins and the policy table come with the web issue."""
