DROP TABLE IF EXISTS notification_daily_totals;
