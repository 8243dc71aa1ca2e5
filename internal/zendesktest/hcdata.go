package zendesktest

import (
	"slices"
	"time"
)

// HCGen sizes a generated help center. The zero value of a field means its
// default; the data depend only on these knobs, so two calls with the same
// HCGen serve the same bytes.
type HCGen struct {
	// Seed varies the attachment bytes and sizes. 0 is a valid seed.
	Seed uint64
	// Locales are the enabled locales, the default one first. Default
	// en-us, ja, ar, es-419.
	Locales []string
	// Categories, Sections and Articles are the counts in the default
	// locale; other locales lack every tenth article (an untranslated
	// one). Defaults 3, 6 and 120.
	Categories, Sections, Articles int
	// AttachmentsPerArticle defaults to 2; a negative value means none.
	AttachmentsPerArticle int
	// MaxAttachmentSize caps attachment sizes, in bytes. Default 1 MiB.
	MaxAttachmentSize int
}

// withDefaults fills in the zero knobs.
func (g HCGen) withDefaults() HCGen {
	if len(g.Locales) == 0 {
		g.Locales = []string{"en-us", "ja", "ar", "es-419"}
	}
	g.Locales = slices.Clone(g.Locales)
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&g.Categories, 3)
	def(&g.Sections, 6)
	def(&g.Articles, 120)
	def(&g.MaxAttachmentSize, 1<<20)
	switch {
	case g.AttachmentsPerArticle == 0:
		g.AttachmentsPerArticle = 2
	case g.AttachmentsPerArticle < 0:
		g.AttachmentsPerArticle = 0
	}
	return g
}

// Ids. The first object of each kind has an id above 2^53, which a
// float64 would round (9007199254740993 reads back as ...992); the second
// article's id is above 2^63 and needs a uint64 or a string.
const (
	bigCategoryID   = 9007199254740995
	bigSectionID    = 9007199254740997
	bigArticleID    = 9007199254740993
	hugeArticleID   = 12345678901234567890
	bigAttachmentID = 9007199254740999

	categoryIDBase   = 4400000000000
	sectionIDBase    = 4500000000000
	articleIDBase    = 4600000000000
	attachmentIDBase = 4700000000000
	idStep           = 1009
)

// Who wrote and may edit the articles.
const (
	authorID          = 360786799676
	permissionGroupID = 7253379449487
	signedInSegmentID = 7253379449501
)

// hcEpoch is when the generated help center was created.
var hcEpoch = time.Date(2023, 6, 22, 0, 32, 20, 0, time.UTC)

func categoryID(c int) uint64 { return pickID(c, categoryIDBase, bigCategoryID) }
func sectionID(s int) uint64  { return pickID(s, sectionIDBase, bigSectionID) }

func attachmentID(k int) uint64 { return pickID(k, attachmentIDBase, bigAttachmentID) }

func articleID(i int) uint64 {
	if i == 1 {
		return hugeArticleID
	}
	return pickID(i, articleIDBase, bigArticleID)
}

func pickID(i int, base, big uint64) uint64 {
	if i == 0 {
		return big
	}
	return base + uint64(i)*idStep
}

// indexOf inverts an id function over n objects: the index, or -1.
func indexOf(id uint64, n int, idOf func(int) uint64) int {
	for _, i := range []int{0, 1} {
		if i < n && idOf(i) == id {
			return i
		}
	}
	for _, base := range []uint64{categoryIDBase, sectionIDBase, articleIDBase, attachmentIDBase} {
		if id <= base || (id-base)%idStep != 0 {
			continue
		}
		if i := (id - base) / idStep; i < uint64(n) && idOf(int(i)) == id {
			return int(i)
		}
	}
	return -1
}

// HCCounts are the sizes of a help center data set.
type HCCounts struct {
	Locales     int
	Categories  int   // per locale
	Sections    int   // per locale
	Articles    int   // over all locales; each locale's translation counts once
	Attachments int   // distinct attachment files
	Bytes       int64 // of all attachment files
}

// Counts returns the sizes of the data set; it adds up every attachment's
// size but reads no file bytes.
func (d *HelpCenterData) Counts() HCCounts {
	c := HCCounts{
		Locales:     len(d.Locales),
		Categories:  d.gen.Categories,
		Sections:    d.gen.Sections,
		Attachments: d.gen.Articles * d.gen.AttachmentsPerArticle,
	}
	for _, l := range d.Locales {
		c.Articles += d.ArticleCount(l)
	}
	for k := range c.Attachments {
		c.Bytes += int64(d.attachmentSize(k))
	}
	return c
}

// ArticleCount returns how many articles the locale's listing holds: all
// of them in the default locale, nine in ten elsewhere, none in a locale
// that is not enabled.
func (d *HelpCenterData) ArticleCount(locale string) int {
	if !slices.Contains(d.Locales, locale) {
		return 0
	}
	n := d.gen.Articles
	if locale == d.DefaultLocale {
		return n
	}
	return n - n/10
}

// articleIndex maps a position in the locale's article listing to the
// article's index: non-default locales skip indexes 9, 19, 29, ...
func (d *HelpCenterData) articleIndex(locale string, j int) int {
	if locale == d.DefaultLocale {
		return j
	}
	return j/9*10 + j%9
}

// translated reports whether article i exists in the locale.
func (d *HelpCenterData) translated(locale string, i int) bool {
	return locale == d.DefaultLocale || i%10 != 9
}

// ArticleIDs returns the id of every article, in listing order.
func (d *HelpCenterData) ArticleIDs() []uint64 {
	ids := make([]uint64, d.gen.Articles)
	for i := range ids {
		ids[i] = articleID(i)
	}
	return ids
}
