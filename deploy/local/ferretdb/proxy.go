package main

// A MongoDB wire-protocol proxy in front of FerretDB that runs write commands one at a time.
//
// FerretDB 1.x on SQLite implements an update as "query, then write back" without isolation,
// so two concurrent updates of one document can lose one of them (measured: conditional
// updates with several winners). MongoDB does not behave like that, and our outbox, ETags and
// claims rely on single-document atomicity. Serializing write commands restores it; reads
// still run concurrently.

import (
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
)

const opMsg = 2013

var writeCommands = map[string]bool{
	"insert": true, "update": true, "delete": true, "findAndModify": true, "findandmodify": true,
	"create": true, "drop": true, "dropDatabase": true, "createIndexes": true,
	"dropIndexes": true, "renameCollection": true, "collMod": true,
}

type proxy struct {
	backend string // unix socket path of FerretDB
	writes  sync.Mutex
	log     *slog.Logger
}

func (p *proxy) serve(l net.Listener) error {
	for {
		client, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go p.handle(client)
	}
}

// readMessage reads one whole wire message (the length prefix included).
func readMessage(r io.Reader) ([]byte, error) {
	var header [4]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}
	size := int(binary.LittleEndian.Uint32(header[:]))
	if size < 16 || size > 64<<20 {
		return nil, errors.New("bad message length")
	}
	msg := make([]byte, size)
	copy(msg, header[:])
	_, err := io.ReadFull(r, msg[4:])
	return msg, err
}

// commandName returns the first key of an OP_MSG's body document ("" for anything else).
func commandName(msg []byte) string {
	if len(msg) < 21 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg {
		return ""
	}
	pos := 20 // header (16) + flagBits (4)
	for pos < len(msg) {
		kind := msg[pos]
		pos++
		if pos+4 > len(msg) {
			return ""
		}
		size := int(binary.LittleEndian.Uint32(msg[pos : pos+4]))
		if kind == 0 {
			// BSON document: int32 size, then elements: type byte, cstring key, value.
			if pos+5 >= len(msg) {
				return ""
			}
			start := pos + 5
			end := start
			for end < len(msg) && msg[end] != 0 {
				end++
			}
			return string(msg[start:end])
		}
		pos += size // kind 1: int32 size covers the whole section after the kind byte
	}
	return ""
}

func (p *proxy) handle(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("unix", p.backend)
	if err != nil {
		p.log.Warn("proxy: backend unavailable", "err", err)
		return
	}
	defer server.Close()

	replies := make(chan struct{}, 1)
	go func() { // server -> client, signalling each reply that answers a held write
		defer close(replies)
		for {
			msg, err := readMessage(server)
			if err != nil {
				client.Close()
				return
			}
			// Signal before forwarding: by the time the client sees this reply and sends
			// its next write, the signal is there to be drained.
			select {
			case replies <- struct{}{}:
			default:
			}
			if _, err := client.Write(msg); err != nil {
				return
			}
		}
	}()

	for { // client -> server
		msg, err := readMessage(client)
		if err != nil {
			return
		}
		moreToCome := len(msg) >= 20 && binary.LittleEndian.Uint32(msg[16:20])&2 != 0
		if !writeCommands[commandName(msg)] || moreToCome {
			if _, err := server.Write(msg); err != nil {
				return
			}
			continue
		}
		p.writes.Lock()
		for len(replies) > 0 { // drop stale signals from earlier replies
			<-replies
		}
		_, err = server.Write(msg)
		if err == nil {
			_, ok := <-replies
			if !ok {
				err = io.EOF
			}
		}
		p.writes.Unlock()
		if err != nil {
			return
		}
	}
}
