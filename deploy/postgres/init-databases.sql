-- One database per service (no cross-service access), plus Temporal's two.
CREATE DATABASE register;
CREATE DATABASE casework;
CREATE DATABASE notifications;
CREATE DATABASE returns;
CREATE DATABASE temporal;
CREATE DATABASE temporal_visibility;
