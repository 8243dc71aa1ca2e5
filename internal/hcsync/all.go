package hcsync

import (
	"encoding/json"
	"fmt"

	"github.com/zendesk-sync/zendesk-sync/internal/helpcenter"
)

// writeAll builds all_help_center_data.json from the locale files
// already staged, streaming them so that memory does not grow with the
// help center.
func (j *job) writeAll(l helpcenter.Locales) error {
	w, err := j.snap.JSON("all_help_center_data.json")
	if err != nil {
		return err
	}
	defer w.Close()
	def, _ := json.Marshal(l.Default)
	if err := w.Field("default_locale", def); err != nil {
		return err
	}
	if err := w.BeginObject("locales"); err != nil {
		return err
	}
	for _, locale := range l.Locales {
		f, err := j.snap.Open(localeFile(locale))
		if err != nil {
			return err
		}
		err = w.CopyField(locale, f)
		_ = f.Close()
		if err != nil {
			return fmt.Errorf("copy %s into all_help_center_data.json: %w", localeFile(locale), err)
		}
	}
	if err := w.EndObject(); err != nil {
		return err
	}
	return w.Close()
}
