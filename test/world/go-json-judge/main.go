// Judge for test/world/go-json.ts and go-base64.ts: reads a JSON array of texts on stdin and prints,
// for each, what Go makes of it: json.Unmarshal's error ("" when none), json.Decoder.Decode's error or
// "end:N" (the offset just past the first value), and base64.StdEncoding.Decode's error ("" when none).
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

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
		decoded := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
		b64 := ""
		if _, err := base64.StdEncoding.Decode(decoded, []byte(text)); err != nil {
			b64 = err.Error()
		}
		verdicts = append(verdicts, map[string]string{"unmarshal": unmarshal, "decoder": decoder, "base64": b64})
	}
	if err := json.NewEncoder(os.Stdout).Encode(verdicts); err != nil {
		panic(err)
	}
}
