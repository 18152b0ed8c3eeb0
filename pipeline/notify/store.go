package notify

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/relscope/relscope/models"
)

// Previous reads what the job's last finished run before runID saw (nil, with no error, when
// the job has no finished run yet: its first run compares with nothing).
func Previous(ctx context.Context, db *sql.DB, job string, runID int64) (Observations, error) {
	var prevRun sql.NullInt64
	err := db.QueryRowContext(ctx, `select max(run_id) from job_runs where job = ? and status = 'finished' and run_id < ?`, job, runID).Scan(&prevRun)
	if err != nil {
		return nil, models.CleanError(err)
	}
	if !prevRun.Valid {
		return nil, nil
	}
	rows, err := db.QueryContext(ctx, `select kind, key, value, detail from job_observations where run_id = ? order by kind, key`, prevRun.Int64)
	if err != nil {
		return nil, models.CleanError(err)
	}
	defer rows.Close()
	obs := Observations{}
	for rows.Next() {
		var o Observation
		var value, detail sql.NullString
		if err := rows.Scan(&o.Kind, &o.Key, &value, &detail); err != nil {
			return nil, err
		}
		o.Value = value.String
		if detail.Valid && detail.String != "" {
			if err := json.Unmarshal([]byte(detail.String), &o.Detail); err != nil {
				return nil, err
			}
		}
		obs.Add(o)
	}
	return obs, rows.Err()
}

// Save stores what run runID of job saw, in tx (the transaction that records the run).
func Save(ctx context.Context, tx *sql.Tx, job string, runID int64, obs Observations) error {
	for _, o := range obs.List() {
		var detail any
		if len(o.Detail) > 0 {
			b, err := json.Marshal(o.Detail)
			if err != nil {
				return err
			}
			detail = string(b)
		}
		if _, err := tx.ExecContext(ctx, `insert into job_observations values (?, ?, ?, ?, ?, ?)`,
			runID, job, string(o.Kind), o.Key, o.Value, detail); err != nil {
			return models.CleanError(err)
		}
	}
	return nil
}

// Log records deliveries in notification_log.
func Log(ctx context.Context, db *sql.DB, job string, runID int64, ds []Delivery) error {
	if len(ds) == 0 {
		return nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return models.CleanError(err)
	}
	defer tx.Rollback()
	for _, d := range ds {
		var status, errText any
		if d.StatusCode != 0 {
			status = d.StatusCode
		}
		if d.Err != nil {
			errText = d.Err.Error()
		}
		outcome := "failed"
		if d.Delivered {
			outcome = "delivered"
		}
		events := d.Events
		if events == nil {
			events = []string{}
		}
		if _, err := tx.ExecContext(ctx, `insert into notification_log values (?, ?, ?, ?, ?, ?, from_json(?, '["VARCHAR"]'), ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, runID, job, d.Target, d.Endpoint, string(d.Format), listLiteral(events), d.Attempts, status, outcome, errText,
			d.First, d.Last, d.Bytes); err != nil {
			return models.CleanError(err)
		}
	}
	return models.CleanError(tx.Commit())
}

// listLiteral is a DuckDB list literal of strings, for a varchar[] parameter cast.
func listLiteral(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}
