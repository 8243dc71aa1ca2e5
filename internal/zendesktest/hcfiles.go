package zendesktest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// AttachmentInfo describes one article attachment of a data set.
type AttachmentInfo struct {
	ID, ArticleID uint64
	FileName      string // as listed: may hold "/", "..", hcEmoji, or be very long
	ContentType   string
	Size          int
	Inline        bool // an image embedded in the article's body
}

// path is the attachment's download path on the main host.
func (a AttachmentInfo) path() string {
	return "/hc/article_attachments/" + strconv.FormatUint(a.ID, 10) + "/" + url.PathEscape(a.FileName)
}

// The attachment kinds the generator cycles through.
var attachmentKinds = []struct{ pattern, contentType string }{
	{"screenshot-%d.png", "image/png"},
	{"user-guide-%d.pdf", "application/pdf"},
	{"export %d.csv", "text/csv"},
	{"notes_%d.txt", "text/plain"},
	{"diagram (%d).svg", "image/svg+xml"},
	{"archive-%d.zip", "application/zip"},
}

// attachment describes the k-th attachment of the data set, the
// (k % AttachmentsPerArticle)-th of its article. The first three have
// hostile names; every attachment of article 3 is called image.png.
func (d *HelpCenterData) attachment(k int) AttachmentInfo {
	i, j := k/d.gen.AttachmentsPerArticle, k%d.gen.AttachmentsPerArticle
	kind := attachmentKinds[k%len(attachmentKinds)]
	name := strings.Replace(kind.pattern, "%d", strconv.Itoa(k), 1)
	switch {
	case k == 0:
		name, kind.contentType = "../../x.sh", "application/x-sh"
	case k == 1:
		name, kind.contentType = strings.Repeat("very-long-file-name-", 14)+"end.txt", "text/plain"
	case k == 2:
		name, kind.contentType = "تقرير 📎 مارس.pdf", "application/pdf"
	case i == 3:
		name, kind.contentType = "image.png", "image/png"
	}
	return AttachmentInfo{
		ID:          attachmentID(k),
		ArticleID:   articleID(i),
		FileName:    name,
		ContentType: kind.contentType,
		Size:        d.attachmentSize(k),
		Inline:      j == 0 && path.Ext(name) == ".png",
	}
}

// attachmentSize is the k-th attachment's size: one is empty, one in
// forty is near MaxAttachmentSize, one in four a few bytes, the rest up
// to 48 KiB.
func (d *HelpCenterData) attachmentSize(k int) int {
	limit := d.gen.MaxAttachmentSize
	var n int
	switch {
	case k == 5:
		n = 0
	case k%40 == 7:
		n = limit - k%97
	case k%4 == 1:
		n = 1 + k%13
	default:
		n = 512 + int(splitmix(d.gen.Seed^uint64(k))%(48<<10))
	}
	return min(max(n, 0), limit)
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

func (d *HelpCenterData) articleAttachments(i int) []AttachmentInfo {
	out := make([]AttachmentInfo, d.gen.AttachmentsPerArticle)
	for j := range out {
		out[j] = d.attachment(i*d.gen.AttachmentsPerArticle + j)
	}
	return out
}

// Attachments returns every attachment of the data set, article by article.
func (d *HelpCenterData) Attachments() []AttachmentInfo {
	out := make([]AttachmentInfo, d.gen.Articles*d.gen.AttachmentsPerArticle)
	for k := range out {
		out[k] = d.attachment(k)
	}
	return out
}

// ArticleAttachments returns an article's attachment list as the fake
// serves it, with links on base; nil when there is no such article.
func (d *HelpCenterData) ArticleAttachments(base string, articleID uint64) []json.RawMessage {
	i := d.articleIndexOf(articleID)
	if i < 0 {
		return nil
	}
	atts := d.articleAttachments(i)
	return hcCollect(len(atts), func(j int) json.RawMessage { return d.attachmentJSON(base, atts[j]) })
}

func (d *HelpCenterData) articleIndexOf(id uint64) int { return indexOf(id, d.gen.Articles, articleID) }

func (d *HelpCenterData) attachmentIndexOf(id uint64) int {
	return indexOf(id, d.gen.Articles*d.gen.AttachmentsPerArticle, attachmentID)
}

func (d *HelpCenterData) attachmentJSON(base string, a AttachmentInfo) json.RawMessage {
	id, art := strconv.FormatUint(a.ID, 10), strconv.FormatUint(a.ArticleID, 10)
	k := d.attachmentIndexOf(a.ID)
	return newJSONObject().id("id", a.ID).
		str("url", base+"/api/v2/help_center/articles/"+art+"/attachments/"+id+".json").
		id("article_id", a.ArticleID).str("display_file_name", a.FileName).str("file_name", a.FileName).
		str("locale", d.DefaultLocale).str("content_url", base+a.path()).str("relative_path", a.path()).
		str("content_type", a.ContentType).num("size", a.Size).flag("inline", a.Inline).
		time("created_at", d.stamp(d.DefaultLocale, k)).time("updated_at", d.stamp(d.DefaultLocale, k+1)).
		done()
}

// Attachment returns an attachment's file bytes, made anew on each call.
func (d *HelpCenterData) Attachment(id uint64) ([]byte, bool) {
	r, _, ok := d.attachmentReader(id)
	if !ok {
		return nil, false
	}
	b, _ := io.ReadAll(r)
	return b, true
}

// AttachmentSHA256 returns the hex SHA-256 of an attachment's file bytes
// without holding them in memory.
func (d *HelpCenterData) AttachmentSHA256(id uint64) (string, bool) {
	r, _, ok := d.attachmentReader(id)
	if !ok {
		return "", false
	}
	h := sha256.New()
	_, _ = io.Copy(h, r)
	return hex.EncodeToString(h.Sum(nil)), true
}

// attachmentReader streams an attachment's bytes: a ChaCha8 stream keyed
// by the seed and the id, cut at its size.
func (d *HelpCenterData) attachmentReader(id uint64) (io.Reader, AttachmentInfo, bool) {
	k := d.attachmentIndexOf(id)
	if k < 0 {
		return nil, AttachmentInfo{}, false
	}
	a := d.attachment(k)
	var key [16]byte
	binary.BigEndian.PutUint64(key[:8], d.gen.Seed)
	binary.BigEndian.PutUint64(key[8:], id)
	return io.LimitReader(rand.NewChaCha8(sha256.Sum256(key[:])), int64(a.Size)), a, true
}

// fileSignature is the sig parameter of an attachment's files-host link.
func (d *HelpCenterData) fileSignature(id uint64) string {
	sum := sha256.Sum256([]byte("sig/" + strconv.FormatUint(d.gen.Seed, 10) + "/" +
		strconv.FormatUint(id, 10)))
	return hex.EncodeToString(sum[:10])
}
