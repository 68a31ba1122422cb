// Judge for test/world/go-json.ts, go-base64.ts, go-pem.ts, go-mime.ts, go-path.ts and go-url.ts:
// reads a JSON array of texts on stdin and prints, for each, what Go makes of it: json.Unmarshal's
// error ("" when none), json.Decoder.Decode's error or "end:N" (the offset just past the first
// value), base64.StdEncoding.Decode's, base64.URLEncoding.Decode's and base64.RawStdEncoding.Decode's
// errors ("" when none), pem.Decode's first block ("type:TYPE bytes:BASE64 rest:REST", or "none"),
// mime.ParseMediaType's media type ("type:T") or error ("error:E"), path.Clean's result, and
// url.Parse's URL.String() ("url:U") or error ("error:E"). urlstrictcolons=1 is how a go 1.26
// module (Fulcio's) parses URLs; this module's older go line would turn it off.

//go:debug urlstrictcolons=1
package main

import (
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"mime"
	"net/url"
	"os"
	"path"
	"strings"
)

func decodeError(enc *base64.Encoding, text string) string {
	decoded := make([]byte, enc.DecodedLen(len(text)))
	if _, err := enc.Decode(decoded, []byte(text)); err != nil {
		return err.Error()
	}
	return ""
}

func pemVerdict(text string) string {
	block, rest := pem.Decode([]byte(text))
	if block == nil {
		return "none"
	}
	return fmt.Sprintf("type:%s bytes:%s rest:%s", block.Type, base64.StdEncoding.EncodeToString(block.Bytes), rest)
}

func mimeVerdict(text string) string {
	mediatype, _, err := mime.ParseMediaType(text)
	if err != nil {
		return "error:" + err.Error()
	}
	return "type:" + mediatype
}

func urlVerdict(text string) string {
	u, err := url.Parse(text)
	if err != nil {
		return "error:" + err.Error()
	}
	return "url:" + u.String()
}

func main() {
	var texts []string
	if err := json.NewDecoder(os.Stdin).Decode(&texts); err != nil {
		panic(err)
	}
	verdicts := []map[string]string{}
	for _, text := range texts {
		var value interface{}
		unmarshal := ""
		if err := json.Unmarshal([]byte(text), &value); err != nil {
			unmarshal = err.Error()
		}
		var raw json.RawMessage
		decoder := ""
		if err := json.NewDecoder(strings.NewReader(text)).Decode(&raw); err != nil {
			decoder = err.Error()
		} else {
			lead := len(text) - len(strings.TrimLeft(text, " \t\r\n"))
			decoder = fmt.Sprintf("end:%d", lead+len(raw))
		}
		verdicts = append(verdicts, map[string]string{
			"unmarshal": unmarshal, "decoder": decoder,
			"base64": decodeError(base64.StdEncoding, text), "base64url": decodeError(base64.URLEncoding, text),
			"base64raw": decodeError(base64.RawStdEncoding, text),
			"pem": pemVerdict(text), "mime": mimeVerdict(text), "pathclean": path.Clean(text), "url": urlVerdict(text),
		})
	}
	if err := json.NewEncoder(os.Stdout).Encode(verdicts); err != nil {
		panic(err)
	}
}
