// argocd-health-check runs an Argo CD resource health check, the Lua of a
// resource.customizations.health.<group>_<kind> entry of argocd-cm, on one object as Argo CD's
// application controller runs it: gopher-lua (the interpreter Argo CD embeds) with only the base,
// table and package libraries open, the object as the global `obj` (JSON numbers as Lua numbers),
// one second to finish, and a returned table whose status must be one of Argo CD's health codes
// (anything else is Unknown, as Argo CD reports it).
//
// Usage: argocd-health-check SCRIPT.lua < object.json
// Output: one line, "<status>\t<message>". Exit status 2 when the script fails or returns no table.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	lua "github.com/yuin/gopher-lua"
)

var healthCodes = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true,
	"Suspended": true, "Missing": true, "Unknown": true,
}

func main() {
	if len(os.Args) != 2 {
		fail("usage: argocd-health-check SCRIPT.lua < object.json")
	}
	script, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail("cannot read the script: %v", err)
	}
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail("cannot read stdin: %v", err)
	}
	var object map[string]any
	if err := json.Unmarshal(data, &object); err != nil {
		fail("stdin is not a Kubernetes object in JSON: %v", err)
	}
	status, message := run(string(script), object)
	fmt.Printf("%s\t%s\n", status, message)
}

func run(script string, object map[string]any) (string, string) {
	state := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer state.Close()
	for name, open := range map[string]lua.LGFunction{
		lua.LoadLibName: lua.OpenPackage,
		lua.BaseLibName: lua.OpenBase,
		lua.TabLibName:  lua.OpenTable,
	} {
		if err := state.CallByParam(lua.P{Fn: state.NewFunction(open), NRet: 0, Protect: true}, lua.LString(name)); err != nil {
			fail("cannot open the %s library: %v", name, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	state.SetContext(ctx)
	state.SetGlobal("obj", toLua(state, object))
	if err := state.DoString(script); err != nil {
		fail("the script failed: %v", err)
	}
	result, ok := state.Get(-1).(*lua.LTable)
	if !ok {
		fail("the script returned %s, not a table", state.Get(-1).Type())
	}
	status := lua.LVAsString(result.RawGetString("status"))
	if !healthCodes[status] {
		return "Unknown", "the script returned no valid health status"
	}
	return status, lua.LVAsString(result.RawGetString("message"))
}

// toLua converts decoded JSON into Lua values: objects become tables keyed by string, arrays
// tables indexed from 1, numbers Lua numbers, null nil.
func toLua(state *lua.LState, value any) lua.LValue {
	switch v := value.(type) {
	case map[string]any:
		table := state.CreateTable(0, len(v))
		for key, item := range v {
			table.RawSetString(key, toLua(state, item))
		}
		return table
	case []any:
		table := state.CreateTable(len(v), 0)
		for _, item := range v {
			table.Append(toLua(state, item))
		}
		return table
	case string:
		return lua.LString(v)
	case float64:
		return lua.LNumber(v)
	case bool:
		return lua.LBool(v)
	default:
		return lua.LNil
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "argocd-health-check: "+format+"\n", args...)
	os.Exit(2)
}
