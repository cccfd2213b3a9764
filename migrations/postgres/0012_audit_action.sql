-- /ops metrics counts audit entries of one action over a period (spam ignored).
CREATE INDEX audit_log_action_at ON audit_log (action, at);
