package server

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReaderMaxRequestBytes: the limit holds for inline requests as for
// multibulk ones (found by FuzzReadCommand: inline requests up to
// maxInlineLen got past a smaller MaxRequestBytes).
func TestReaderMaxRequestBytes(t *testing.T) {
	cases := []struct {
		in      string
		args    []string // nil: an error
		wantErr string
	}{
		{in: "*2\r\n$3\r\nGET\r\n$13\r\n" + strings.Repeat("k", 13) + "\r\n", args: []string{"GET", strings.Repeat("k", 13)}},
		{in: "*2\r\n$3\r\nGET\r\n$14\r\n" + strings.Repeat("k", 14) + "\r\n", wantErr: "ERR Protocol error: invalid bulk length"},
		{in: "GET " + strings.Repeat("k", 13) + "\r\n", args: []string{"GET", strings.Repeat("k", 13)}},
		{in: "GET \"" + strings.Repeat("k", 13) + "\"   \r\n", args: []string{"GET", strings.Repeat("k", 13)}},
		{in: "GET " + strings.Repeat("k", 14) + "\r\n", wantErr: "ERR Protocol error: too big inline request"},
		{in: "GET \"" + strings.Repeat("\\x41", 14) + "\"\r\n", wantErr: "ERR Protocol error: too big inline request"},
	}
	for _, tc := range cases {
		rd := newReader(strings.NewReader(tc.in), 16)
		args, err := rd.read()
		if tc.wantErr != "" {
			assert.EqualErrorf(t, err, tc.wantErr, "%q", tc.in)
			continue
		}
		require.NoErrorf(t, err, "%q", tc.in)
		assert.Equalf(t, tc.args, strs(args), "%q", tc.in)
	}
}
