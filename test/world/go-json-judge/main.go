// Judge for test/world/go-json.ts: reads a JSON array of texts on stdin and prints, for each, what
// Go's encoding/json makes of it: json.Unmarshal's error ("" when none), and json.Decoder.Decode's
// error or "end:N", the offset just past the first value.
package main

import (
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
		verdicts = append(verdicts, map[string]string{"unmarshal": unmarshal, "decoder": decoder})
	}
	if err := json.NewEncoder(os.Stdout).Encode(verdicts); err != nil {
		panic(err)
	}
}
