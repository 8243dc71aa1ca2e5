package snapshot

import "os"

// Remove deletes a staged file, such as a download that found no file.
// rel is checked as by Create.
func (s *Snapshot) Remove(rel string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	path, err := s.path("remove file", rel)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil {
		return opError("remove file", path, err)
	}
	return nil
}
